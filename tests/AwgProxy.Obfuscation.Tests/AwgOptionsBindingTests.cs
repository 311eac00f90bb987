using Microsoft.Extensions.Configuration;

namespace AwgProxy.Obfuscation.Tests;

public class AwgOptionsBindingTests
{
    [Fact]
    public void InMemorySection_BindsEveryAwgName()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Awg:Jc"] = "4",
                ["Awg:Jmin"] = "40",
                ["Awg:Jmax"] = "70",
                ["Awg:S1"] = "15",
                ["Awg:S2"] = "16",
                ["Awg:S3"] = "17",
                ["Awg:S4"] = "18",
                ["Awg:H1"] = "100-200",
                ["Awg:H2"] = "300",
                ["Awg:H3"] = "400-401",
                ["Awg:H4"] = "5000-6000",
                ["Awg:I1"] = "<b 0xc700000001><rc 8><t><r 50>",
                ["Awg:I2"] = "<r 2>",
                ["Awg:I3"] = "<rd 3>",
                ["Awg:I4"] = "<t>",
                ["Awg:I5"] = "<c>",
            })
            .Build();

        var options = configuration.GetSection(AwgOptions.SectionName).Get<AwgOptions>()!;

        Assert.Equal((4, 40, 70), (options.Jc, options.Jmin, options.Jmax));
        Assert.Equal((15, 16, 17, 18), (options.S1, options.S2, options.S3, options.S4));
        Assert.Equal(("100-200", "300", "400-401", "5000-6000"), (options.H1, options.H2, options.H3, options.H4));
        Assert.Equal(
            new[] { "<b 0xc700000001><rc 8><t><r 50>", "<r 2>", "<rd 3>", "<t>", "<c>" },
            new[] { options.I1, options.I2, options.I3, options.I4, options.I5 });
    }

    [Fact]
    public void UnsetKeys_KeepTheDefaults()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Awg:H2"] = "77" })
            .Build();

        var options = configuration.GetSection("Awg").Get<AwgOptions>()!;

        Assert.Equal((0, 0, 0, 0, 0, 0, 0), (options.Jc, options.Jmin, options.Jmax, options.S1, options.S2, options.S3, options.S4));
        Assert.Equal(("1", "77", "3", "4"), (options.H1, options.H2, options.H3, options.H4));
        Assert.All(new[] { options.I1, options.I2, options.I3, options.I4, options.I5 }, Assert.Null);
    }

    [Fact]
    public void AwgConfigInterfaceSection_PastedAsIni_Binds()
    {
        var path = Path.Combine(Path.GetTempPath(), $"awg-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, """
            [Interface]
            PrivateKey = aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd28=
            Address = 10.8.0.2/32
            Jc = 4
            Jmin = 10
            Jmax = 50
            S1 = 52
            S2 = 32
            H1 = 1020325451
            H2 = 3288052141
            H3 = 1766607858
            H4 = 2528465083
            I1 = <b 0xc2000000011b00><r 16><t><rc 12><rd 6>

            [Peer]
            Endpoint = 127.0.0.1:51820
            """);
        try
        {
            var configuration = new ConfigurationBuilder().AddIniFile(path).Build();

            var options = configuration.GetSection("Interface").Get<AwgOptions>()!;

            Assert.Equal((4, 10, 50, 52, 32), (options.Jc, options.Jmin, options.Jmax, options.S1, options.S2));
            Assert.Equal(("1020325451", "3288052141", "1766607858", "2528465083"), (options.H1, options.H2, options.H3, options.H4));
            Assert.Equal("<b 0xc2000000011b00><r 16><t><rc 12><rd 6>", options.I1);
            Assert.True(new AwgOptionsValidator().Validate(null, options).Succeeded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NonNumericInteger_IsReportedByTheBinderWithTheKey()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Awg:Jc"] = "four" })
            .Build();

        var ex = Assert.Throws<InvalidOperationException>(() => configuration.GetSection("Awg").Get<AwgOptions>());
        Assert.Contains("Awg:Jc", ex.Message, StringComparison.Ordinal);
    }
}
