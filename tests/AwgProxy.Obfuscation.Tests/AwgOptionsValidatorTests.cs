using Microsoft.Extensions.Options;

namespace AwgProxy.Obfuscation.Tests;

public class AwgOptionsValidatorTests
{
    private static IReadOnlyList<string> Failures(AwgOptions options, int wireMtu = 1472)
    {
        var result = new AwgOptionsValidator(wireMtu).Validate(null, options);
        return result.Succeeded ? [] : [.. result.Failures!];
    }

    [Fact]
    public void Defaults_AreValid()
    {
        Assert.Same(ValidateOptionsResult.Success, new AwgOptionsValidator().Validate(null, new AwgOptions()));
    }

    [Fact]
    public void TypicalAwgProfile_IsValid()
    {
        var options = new AwgOptions
        {
            Jc = 4, Jmin = 40, Jmax = 70, S1 = 15, S2 = 18, S3 = 20, S4 = 23,
            H1 = "1020325451", H2 = "3288052141", H3 = "1766607858-1766607900", H4 = "2528465083-2528470000",
            I1 = "<b 0xc700000001><rc 8><t><r 50>", I2 = "<c><r 10>",
        };

        Assert.Empty(Failures(options));
    }

    [Theory]
    [InlineData("Jc", "Jc = -1: must not be negative")]
    [InlineData("Jmin", "Jmin = -1: must not be negative")]
    [InlineData("S1", "S1 = -1: must not be negative")]
    [InlineData("S4", "S4 = -1: must not be negative")]
    public void NegativeNumber_IsReportedWithKeyAndValue(string key, string expected)
    {
        var options = new AwgOptions { Jmax = 10 };
        typeof(AwgOptions).GetProperty(key)!.SetValue(options, -1);

        Assert.Contains(expected, Failures(options));
    }

    [Fact]
    public void JminAboveJmax_NamesBoth()
    {
        Assert.Equal(["Jmin = 100 is greater than Jmax = 50"], Failures(new AwgOptions { Jc = 3, Jmin = 100, Jmax = 50 }));
    }

    [Fact]
    public void JcAboveCap_IsReported()
    {
        Assert.Equal(
            ["Jc = 129: more than 128 junk packets before every handshake attempt (upstream recommends 4-12)"],
            Failures(new AwgOptions { Jc = 129, Jmin = 1, Jmax = 2 }));
        Assert.Empty(Failures(new AwgOptions { Jc = 128, Jmin = 1, Jmax = 2 }));
    }

    [Fact]
    public void JmaxAboveWireMtu_IsReported()
    {
        Assert.Equal(
            ["Jmax = 1453: a junk packet could exceed the 1452-byte wire MTU and be fragmented"],
            Failures(new AwgOptions { Jc = 1, Jmin = 10, Jmax = 1453 }, wireMtu: 1452));
    }

    [Theory]
    [InlineData("H1", "x", "H1 = 'x': failed to parse x: strconv.ParseUint: parsing \"x\": invalid syntax")]
    [InlineData("H2", "9-1", "H2 = '9-1': wrong range specified")]
    [InlineData("H3", "1-2-3", "H3 = '1-2-3': bad format")]
    [InlineData("H4", "0-4294967295", "H4 = '0-4294967295': range 0-4294967295 is too wide: its width 4294967296 does not fit in uint32")]
    public void BadHeader_IsReportedWithUpstreamMessage(string key, string value, string expected)
    {
        var options = new AwgOptions { H1 = "10", H2 = "20", H3 = "30", H4 = "40" };
        typeof(AwgOptions).GetProperty(key)!.SetValue(options, value);

        Assert.Equal([expected], Failures(options));
    }

    [Fact]
    public void OverlappingHeaders_NameBothKeys_OncePerPair()
    {
        var failures = Failures(new AwgOptions { H1 = "1-10", H3 = "10-20" });

        Assert.Equal(
            [
                "H1 = '1-10' overlaps H2 = '2': header ranges must not overlap",
                "H1 = '1-10' overlaps H3 = '10-20': header ranges must not overlap",
                "H1 = '1-10' overlaps H4 = '4': header ranges must not overlap",
            ],
            failures);
    }

    [Fact]
    public void EmptyHeaderOrIPacket_CountsAsUnset()
    {
        Assert.Empty(Failures(new AwgOptions { H1 = "", H4 = null, I1 = "", I2 = null }));
        Assert.Equal("1", AwgProfile.Create(new AwgOptions { H1 = "" }).Header(AwgMessageClass.Initiation).GenSpec());
    }

    [Fact]
    public void BadIPacket_GivesOneMessagePerTagProblem()
    {
        var failures = Failures(new AwgOptions { I2 = "<x><r -5><b 0x1>" });

        Assert.Equal(
            [
                "I2 = '<x><r -5><b 0x1>': unknown tag <x>",
                "I2 = '<x><r -5><b 0x1>': failed to build <r>: length -5 is negative",
                "I2 = '<x><r -5><b 0x1>': failed to build <b>: odd amount of symbols",
            ],
            failures);
    }

    [Fact]
    public void IPacketLongerThanWireMtu_IsReported()
    {
        Assert.Equal(
            ["I5 = '<b 0x01><r 1472>': the packet is 1473 bytes, more than the 1472-byte wire MTU"],
            Failures(new AwgOptions { I5 = "<b 0x01><r 1472>" }));
        Assert.Empty(Failures(new AwgOptions { I5 = "<r 1472>" }));
    }

    [Fact]
    public void PaddingThatStarvesQuic_IsReportedWithTheNumbers()
    {
        Assert.Equal(
            ["S1 = 269: a class 1 (initiation) datagram can carry only 1199 bytes of QUIC (1472-byte wire MTU - 269 padding - 4 header), " +
             "but a client Initial must be at least 1200 bytes (RFC 9000 §14.1); S1 can be at most 268 at this MTU"],
            Failures(new AwgOptions { S1 = 269 }));
        Assert.Empty(Failures(new AwgOptions { S1 = 268, S2 = 268, S3 = 268, S4 = 268 }));
    }

    [Fact]
    public void ManyProblems_AreAllReportedInOnePass()
    {
        var options = new AwgOptions
        {
            Jc = -1, Jmin = 9, Jmax = 3, S2 = -2, S4 = 5000,
            H1 = "abc", H2 = "3", I1 = "<c><q>", I3 = "<r 99999>",
        };

        var failures = Failures(options);

        Assert.Equal(8, failures.Count);
        Assert.Contains("Jc = -1: must not be negative", failures);
        Assert.Contains("Jmin = 9 is greater than Jmax = 3", failures);
        Assert.Contains("S2 = -2: must not be negative", failures);
        Assert.Contains(failures, f => f.StartsWith("H1 = 'abc': failed to parse abc", StringComparison.Ordinal));
        Assert.Contains("H2 = '3' overlaps H3 = '3': header ranges must not overlap", failures);
        Assert.Contains("I1 = '<c><q>': unknown tag <q>", failures);
        Assert.Contains("I3 = '<r 99999>': failed to build <r>: length 99999 exceeds 65527, the largest UDP payload", failures);
        Assert.Contains(failures, f => f.StartsWith("S4 = 5000: a class 4 (transport) datagram can carry only -3532 bytes", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("class 2", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1203)]
    [InlineData(65528)]
    public void WireMtuOutsideWhatQuicAndUdpAllow_IsRejectedByTheConstructor(int wireMtu)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AwgOptionsValidator(wireMtu));
    }
}
