using System.Net;
using AwgProxy.Cli.Configuration;
using AwgProxy.Cli.Hosting;
using AwgProxy.Cli.Identity;

namespace AwgProxy.Cli.Tests.Hosting;

public class DemoSetupTests
{
    [Fact]
    public void Write_CreatesOwnerOnlyConfigsThatValidateAndMatch()
    {
        using var temp = new TempDirectory();
        var dir = Path.Combine(temp.Path, "demo");

        var files = DemoSetup.Write(dir, IPEndPoint.Parse("127.0.0.1:1090"), serverPort: 40123);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(SecretFile.DirectoryMode, File.GetUnixFileMode(dir));
            Assert.Equal(SecretFile.Mode, File.GetUnixFileMode(files.ServerConfigPath));
            Assert.Equal(SecretFile.Mode, File.GetUnixFileMode(files.ClientConfigPath));
        }

        var options = new ConfigLoadOptions { IncludeEnvironment = false };
        using var server = ConfigLoader.Load(files.ServerConfigPath, ProxyRole.Server, options);
        using var client = ConfigLoader.Load(files.ClientConfigPath, ProxyRole.Client, options);
        Assert.Empty(server.Errors);
        Assert.Empty(server.Warnings);
        Assert.Empty(client.Errors);
        var s = (ResolvedServerConfig)server.Config!;
        var c = (ResolvedClientConfig)client.Config!;
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:40123"), s.Listen);
        Assert.Equal(new HostPort("127.0.0.1", 40123), c.Server);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:1090"), c.Socks5Listen);
        Assert.Equal(s.PublicKey, c.ServerPublicKey);
        Assert.Equal(c.PublicKey, Assert.Single(s.Clients).PublicKey);
        Assert.Equal(files.Password, c.Socks5Users[files.UserName]);
        Assert.Matches("^[A-Za-z0-9]{16}$", files.Password);
        Assert.Contains(s.AllowedNetworks, n => n.Contains(IPAddress.Loopback));
        Assert.Equal(
            (c.Awg.S1, c.Awg.S2, c.Awg.S3, c.Awg.S4, c.Awg.H1, c.Awg.H2, c.Awg.H3, c.Awg.H4),
            (s.Awg.S1, s.Awg.S2, s.Awg.S3, s.Awg.S4, s.Awg.H1, s.Awg.H2, s.Awg.H3, s.Awg.H4));
        Assert.Equal(4, c.Awg.Jc);
    }

    [Fact]
    public void Write_NeverOverwritesExistingConfigs()
    {
        using var temp = new TempDirectory();
        temp.File("server.ini", "keep me");

        Assert.Throws<IOException>(() => DemoSetup.Write(temp.Path, IPEndPoint.Parse("127.0.0.1:1080")));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(temp.Path, "server.ini")));
    }

    [Fact]
    public void Write_MakesFreshKeysEachTime()
    {
        using var temp = new TempDirectory();

        var first = DemoSetup.Write(Path.Combine(temp.Path, "a"), IPEndPoint.Parse("127.0.0.1:1080"));
        var second = DemoSetup.Write(Path.Combine(temp.Path, "b"), IPEndPoint.Parse("127.0.0.1:1080"));

        Assert.NotEqual(File.ReadAllText(first.ClientConfigPath), File.ReadAllText(second.ClientConfigPath));
    }
}
