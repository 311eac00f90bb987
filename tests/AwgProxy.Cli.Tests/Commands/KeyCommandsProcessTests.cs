using AwgProxy.Cli.Identity;
using NSec.Cryptography;

namespace AwgProxy.Cli.Tests.Commands;

/// <summary>genkey and pubkey through the real executable, the way a shell pipes them.</summary>
public class KeyCommandsProcessTests
{
    [Fact]
    public async Task GenkeyPipedIntoPubkey_PrintsThePublicKeyNSecDerives()
    {
        var genkey = await CliProcess.RunAsync(["genkey"]);
        Assert.Equal(0, genkey.ExitCode);
        Assert.Equal(string.Empty, genkey.Stderr);
        Assert.Matches("^[A-Za-z0-9+/]{43}=\n$", genkey.Stdout);

        var pubkey = await CliProcess.RunAsync(["pubkey"], stdin: genkey.Stdout);

        Assert.Equal(0, pubkey.ExitCode);
        Assert.Matches("^[A-Za-z0-9+/]{43}=\n$", pubkey.Stdout);
        using var key = Key.Import(SignatureAlgorithm.Ed25519, Convert.FromBase64String(genkey.Stdout.Trim()), KeyBlobFormat.RawPrivateKey);
        Assert.Equal(Convert.ToBase64String(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)), pubkey.Stdout.Trim());
    }

    [Fact]
    public async Task Genkey_TwiceGivesDifferentKeys()
    {
        var first = await CliProcess.RunAsync(["genkey"]);
        var second = await CliProcess.RunAsync(["genkey"]);

        Assert.NotEqual(first.Stdout, second.Stdout);
    }

    [Fact]
    public async Task Pubkey_OfAnRfc8032Seed_IsTheRfcPublicKey()
    {
        var seed = Convert.ToBase64String(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

        var result = await CliProcess.RunAsync(["pubkey"], stdin: "  " + seed + "\r\n\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(Convert.FromBase64String(result.Stdout.Trim())));
    }

    [Theory]
    [InlineData("", "the key is empty")]
    [InlineData("\n", "the key is empty")]
    [InlineData("this is not base64 at all\n", "the key is not valid base64")]
    [InlineData("YWJjZA==\n", "the key decodes to 4 bytes; a key is 32 bytes")]
    public async Task Pubkey_BadInput_ExitsOneWithAClearMessage(string input, string message)
    {
        var result = await CliProcess.RunAsync(["pubkey"], stdin: input);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.StartsWith("awgproxy pubkey: " + message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, true)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite, false)]
    public async Task Genkey_RedirectedToAFile_WarnsLikeWgOnlyWhenOthersCanReadIt(UnixFileMode mode, bool warns)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var temp = new TempDirectory();
        var path = temp.File("key", string.Empty);
        File.SetUnixFileMode(path, mode);

        var result = await CliProcess.RunAsync(
            ["-c", "exec \"$DOTNET\" \"$DLL\" genkey > \"$OUT\""],
            environment: new Dictionary<string, string?> { ["DOTNET"] = CliProcess.DotnetHost(), ["DLL"] = CliProcess.DllPath, ["OUT"] = path },
            shell: true);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(warns, result.Stderr.Contains("warning: writing a private key to a file others can read", StringComparison.Ordinal));
        Assert.True(KeyText.TryParsePrivateKey(File.ReadAllText(path), out _, out _));
    }
}
