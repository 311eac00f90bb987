using AwgProxy.Cli.Configuration;
using Microsoft.Extensions.Configuration;

namespace AwgProxy.Cli.Tests.Configuration;

/// <summary>
/// The syntax pass agrees with Microsoft.Extensions.Configuration.Ini on what a file means: for
/// valid files the keys it records are exactly the provider's.
/// </summary>
public class IniSyntaxTests
{
    [Fact]
    public void ValidFile_RecordsTheProvidersKeysWithTheirLines()
    {
        const string Text = """
            ; comment
            # comment
            / comment too
            [Awg]
            I1 = <b 0xc700000001><r 16>
            H1 = 5-10

            [Socks5:Users]
            alice = pass=word
            bob = "quoted"
            [Client]
            Server = host:1
            """;

        var scan = IniSyntax.Scan(Text);
        var provider = new ConfigurationBuilder().AddIniStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Text))).Build();

        Assert.Empty(scan.Problems);
        Assert.Equal(
            provider.AsEnumerable().Where(kv => kv.Value is not null).Select(kv => kv.Key).Order(StringComparer.OrdinalIgnoreCase),
            scan.KeyLines.Keys.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal(5, scan.KeyLines["Awg:I1"]);
        Assert.Equal(9, scan.KeyLines["socks5:users:ALICE"]);
        Assert.Equal("<b 0xc700000001><r 16>", provider["Awg:I1"]);
        Assert.Equal("pass=word", provider["Socks5:Users:alice"]);
        Assert.Equal("quoted", provider["Socks5:Users:bob"]);
    }

    [Fact]
    public void SameKeyInDifferentSections_IsNotADuplicate()
    {
        var scan = IniSyntax.Scan("[Client]\nListen = a\n[Socks5]\nListen = b\n");

        Assert.Empty(scan.Problems);
    }

    [Fact]
    public void RepeatedSectionHeader_StillCatchesDuplicateKeys()
    {
        var scan = IniSyntax.Scan("[Awg]\nJc = 1\n[Client]\nServer = x:1\n[AWG]\nJC = 2\n");

        var problem = Assert.Single(scan.Problems);
        Assert.Equal(6, problem.Line);
        Assert.Equal("duplicate key [AWG] JC (first set on line 2); each key may appear once (keys are case-insensitive)", problem.Message);
    }
}
