using System.Net;
using System.Text.Json;
using AwgProxy.Cli.Configuration;
using AwgProxy.Obfuscation;
using AwgProxy.Quic.Congestion;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Tests.Configuration;

public class ConfigLoaderTests
{
    private static readonly ConfigLoadOptions s_noEnvironment = new() { IncludeEnvironment = false };

    [Fact]
    public void ExampleClientIni_LoadsAndValidates()
    {
        using var result = ConfigLoader.Load(CliProcess.Example("client.ini"), ProxyRole.Client, s_noEnvironment);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var client = Assert.IsType<ResolvedClientConfig>(result.Config);
        Assert.Equal(new HostPort("vpn.example.org", 51820), client.Server);
        Assert.Equal(ConfigTexts.ServerPublicKey, client.ServerPublicKey.ToString());
        Assert.Equal(ConfigTexts.ClientPublicKey, client.PublicKey.ToString());
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:1080"), client.Socks5Listen);
        Assert.Equal(["alice", "bob"], client.Socks5Users.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1472, client.WireMtu);
        Assert.Equal((4, 40, 70), (client.Awg.Jc, client.Awg.Jmin, client.Awg.Jmax));
        Assert.Equal("<r 2><b 0x01000001000000000000><b 0x076578616d706c6503636f6d00><b 0x00010001>", client.Awg.I1);
        Assert.Equal(1416, client.AwgProfile.Budget.MaxQuicDatagramSize);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:9090"), client.MetricsListen);
        Assert.Equal(TimeSpan.FromSeconds(25), client.KeepAliveInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), client.DeadPathTimeout);
        Assert.Equal(LogLevel.Information, client.LogLevel);
    }

    [Theory]
    [InlineData("DeadPathSeconds = 0", 0)]
    [InlineData("DeadPathSeconds = 4", 4)]
    public void DeadPathSeconds_BindsToTheDeadPathTimeout(string line, int seconds)
    {
        using var temp = new TempDirectory();
        var path = temp.File("deadpath.ini", ConfigTexts.Client("\n[Timeouts]\n" + line + "\n"));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.Empty(result.Errors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), Assert.IsType<ResolvedClientConfig>(result.Config).DeadPathTimeout);
    }

    [Fact]
    public void DeadPathSeconds_Negative_IsReported()
    {
        using var temp = new TempDirectory();
        var path = temp.File("deadpath.ini", ConfigTexts.Client("\n[Timeouts]\nDeadPathSeconds = -1\n"));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.Contains(result.Errors, e => e.Contains("DeadPathSeconds", StringComparison.Ordinal));
        Assert.Null(result.Config);
    }

    [Fact]
    public void ExampleServerIni_LoadsAndValidates()
    {
        using var result = ConfigLoader.Load(CliProcess.Example("server.ini"), ProxyRole.Server, s_noEnvironment);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        var server = Assert.IsType<ResolvedServerConfig>(result.Config);
        Assert.Equal(IPEndPoint.Parse("0.0.0.0:51820"), server.Listen);
        Assert.Equal(ConfigTexts.ServerPublicKey, server.PublicKey.ToString());
        Assert.Equal(["laptop", "phone"], server.Clients.Select(c => c.Name));
        Assert.Equal([false, true], server.Clients.Select(c => c.Revoked));
        Assert.Equal("laptop", server.FindClient(server.Clients[0].PublicKey)?.Name);
        Assert.Equal((1024, 4, 256), (server.MaxConnections, server.MaxConnectionsPerClient, server.MaxStreamsPerConnection));
        Assert.Equal(TimeSpan.FromSeconds(10), server.UpstreamConnectTimeout);
        Assert.Empty(server.AllowedNetworks);
        Assert.Equal(1416, server.AwgProfile.Budget.MaxQuicDatagramSize);
    }

    [Fact]
    public void ExampleClientJson_BindsTheSameOptionsAsTheIni()
    {
        using var ini = ConfigLoader.Load(CliProcess.Example("client.ini"), ProxyRole.Client, s_noEnvironment);
        using var json = ConfigLoader.Load(CliProcess.Example("client.json"), ProxyRole.Client, s_noEnvironment);

        Assert.Empty(json.Errors);
        Assert.Equal(ConfigFormat.Json, json.Format);
        var fromIni = Assert.IsType<ResolvedClientConfig>(ini.Config);
        var fromJson = Assert.IsType<ResolvedClientConfig>(json.Config);
        Assert.Equal(JsonSerializer.Serialize(fromIni.Options), JsonSerializer.Serialize(fromJson.Options));
        Assert.Equal(fromIni.Summary, fromJson.Summary);
    }

    [Fact]
    public void DuplicateKey_IsReportedWithItsLineAndTheFirstOne()
    {
        using var temp = new TempDirectory();
        var path = temp.File("dup.ini", ConfigTexts.Client("\n[Awg]\nJc = 4\njc = 5\n"));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        var error = Assert.Single(result.Errors);
        Assert.Equal($"{path}:8: duplicate key [Awg] jc (first set on line 7); each key may appear once (keys are case-insensitive)", error);
        Assert.Null(result.Config);
    }

    [Fact]
    public void MalformedLines_AreAllReportedWithoutQuotingThem()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bad.ini", "[Client]\n" + ConfigTexts.ClientPrivateKey + "\n[]\n[Awg\n= 4\nJc 4\n");

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.Equal(
            [
                $"{path}:2: a line holds what looks like a bare base64 key without 'Name = ' in front; it is not shown here",
                $"{path}:3: a section header needs a name: [Name] or [Name:Sub]",
                $"{path}:4: a section header must end with ']'",
                $"{path}:5: a key is missing before '='",
                $"{path}:6: not a 'key = value' line or a [Section] header (comments must be on their own line, starting with ';' or '#')",
            ],
            result.Errors);
        Assert.DoesNotContain(result.Errors, e => e.Contains(ConfigTexts.ClientPrivateKey, StringComparison.Ordinal));
    }

    [Fact]
    public void InvalidValues_AreAllReportedInOneRun()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bad.ini", """
            [Client]
            PrivateKey = c2VjcmV0
            ServerPublicKey = agNTrTGTS7EGsu8N3weAUceUWzlKqrJ8i0xOGuOpycA=
            Server = vpn.example.org
            WireMtu = 900
            [Socks5]
            Listen = 127.0.0.1:99999
            MaxConnections = lots
            [Timeouts]
            IdleSeconds = 20
            KeepAliveSeconds = 30
            [Awg]
            Jc = 4
            Jmin = 90
            Jmax = 70
            Jcc = 1
            S1 = 300
            H1 = 5-10
            H2 = 8-20
            I1 = <r -3>
            [Metrics]
            Listen = localhost:9090
            [Log]
            Level = loud
            [Peer]
            PublicKey = x
            [Socks5:Users]
            alice = pw
            """);

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        string[] expected =
        [
            $"{path}:2: [Client] PrivateKey = <redacted>: the key decodes to 6 bytes",
            $"{path}:4: [Client] Server = 'vpn.example.org': no port; expected host:port",
            $"{path}:5: [Client] WireMtu = 900: must be from 1204 to 65527",
            $"{path}:7: [Socks5] Listen = '127.0.0.1:99999': the port must be a number from 0 to 65535",
            $"{path}:8: [Socks5] MaxConnections = 'lots': not a whole number",
            $"{path}:11: [Timeouts] KeepAliveSeconds = 30 is not less than IdleSeconds = 20",
            $"{path}:14: [Awg] Jmin = 90 is greater than Jmax = 70",
            $"{path}:16: [Awg] Jcc: unknown key (the keys of [Awg] are H1, H2, H3, H4, I1, I2, I3, I4, I5, Jc, Jmax, Jmin, S1, S2, S3, S4)",
            $"{path}:17: [Awg] S1 = 300: a class 1 (initiation) datagram can carry only 1168 bytes of QUIC",
            $"{path}:18: [Awg] H1 = '5-10' overlaps H2 = '8-20'",
            $"{path}:20: [Awg] I1 = '<r -3>':",
            $"{path}:22: [Metrics] Listen = 'localhost:9090': a listen address must be an IP address",
            $"{path}:24: [Log] Level = 'loud': not a log level",
            $"{path}:26: [Peer]: not a section of this config (its sections are [Awg], [Client], [Log], [Metrics], [Quic], [Socks5], [Timeouts])",
        ];
        Assert.Equal(expected.Length, result.Errors.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(expected[i], result.Errors[i], StringComparison.Ordinal);
        }

        Assert.Null(result.Config);
    }

    [Fact]
    public void Secrets_NeverAppearInErrors()
    {
        const string BadPrivateKey = "SECRETSECRETSECRETSECRETSECRET==";
        const string LongPassword = "longer-than-255-bytes-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2-hunter2";
        const string NotAPublicKey = "my-secret-in-the-wrong-field";
        using var temp = new TempDirectory();
        var path = temp.File("bad.ini", $"""
            [Client]
            PrivateKey = {BadPrivateKey}
            ServerPublicKey = {NotAPublicKey}
            Server = vpn.example.org:51820
            [Socks5:Users]
            alice = {LongPassword}
            """);

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.Equal(3, result.Errors.Count);
        var all = string.Join('\n', result.Errors);
        Assert.DoesNotContain(BadPrivateKey, all, StringComparison.Ordinal);
        Assert.DoesNotContain(LongPassword, all, StringComparison.Ordinal);
        Assert.DoesNotContain(NotAPublicKey, all, StringComparison.Ordinal);
        Assert.Equal(3, result.Errors.Count(e => e.Contains("<redacted>", StringComparison.Ordinal)));
    }

    [Fact]
    public void Summary_NamesNoSecretAndNoUser()
    {
        using var result = ConfigLoader.Load(CliProcess.Example("client.ini"), options: s_noEnvironment);
        var summary = result.Config!.Summary;

        Assert.Equal(
            "config: role=client server=vpn.example.org:51820 socks5=127.0.0.1:1080 users=2 awg=Jc4(40-70)/S52,24,18,12/H1..H4/I1 mtu=1472 quic-max=1416 metrics=127.0.0.1:9090 log=information",
            summary);
        foreach (var secret in new[] { ConfigTexts.ClientPrivateKey, ConfigTexts.ServerPublicKey, "correct-horse-battery-staple", "Tr0ub4dor&3", "alice", "bob" })
        {
            Assert.DoesNotContain(secret, summary, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ServerSummary_CountsClientsAndNamesNoKey()
    {
        using var result = ConfigLoader.Load(CliProcess.Example("server.ini"), options: s_noEnvironment);

        Assert.Equal(
            "config: role=server listen=0.0.0.0:51820 clients=1 revoked=1 awg=S52,24,18,12/H1..H4 mtu=1472 quic-max=1416 limits=conn1024/client4/streams256 egress-allow=0 metrics=127.0.0.1:9091 log=information",
            result.Config!.Summary);
    }

    [Fact]
    public void EmptyNumber_IsAnErrorNamingTheKey()
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.ini", ConfigTexts.Client("[Awg]\nJc =\n"));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.Equal($"{path}:6: [Awg] Jc is empty: give a whole number (-2147483648 to 2147483647) or remove the line to keep the default", Assert.Single(result.Errors));
    }

    [Theory]
    [InlineData(ProxyRole.Server, "is a client config ([Client]); run it with 'awgproxy client'")]
    public void WrongRole_IsAnError(ProxyRole expected, string message)
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.ini", ConfigTexts.Client());

        using var result = ConfigLoader.Load(path, expected, s_noEnvironment);

        Assert.Equal($"{path}: {message}", Assert.Single(result.Errors));
    }

    [Theory]
    [InlineData("[Awg]\nJc = 1\n", "has neither a [Client] nor a [Server] section")]
    [InlineData("[Client]\nServer = a:1\n[Server]\nListen = 0.0.0.0:1\n", "has both a [Client] and a [Server] section")]
    public void RoleSections_MustBeExactlyOne(string text, string message)
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.ini", text);

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.StartsWith($"{path}: {message}", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsOneClearError()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "none.ini");

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.Equal($"cannot read {path}: no such file", Assert.Single(result.Errors));
    }

    [Fact]
    public void Directory_IsOneClearError()
    {
        using var temp = new TempDirectory();

        using var result = ConfigLoader.Load(temp.Path, options: s_noEnvironment);

        Assert.Equal($"cannot read {temp.Path}: it is a directory", Assert.Single(result.Errors));
    }

    [Fact]
    public void InvalidJson_NamesTheLine()
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.json", "{\n  \"Client\": {\n    \"Server\": \"a:1\" \"x\"\n  }\n}\n");

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.StartsWith($"{path}:3: not valid JSON", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void JsonWithAValueWhereASectionBelongs_IsReported()
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.json", $$"""
            { "Client": { "PrivateKey": "{{ConfigTexts.ClientPrivateKey}}", "ServerPublicKey": "{{ConfigTexts.ServerPublicKey}}", "Server": "a.example:1" },
              "Awg": 5, "Socks5": { "Listen": { "Port": 1 } }, "Socks5:Users": { "alice": "pw" } }
            """);

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.Equal(
            [$"{path}: [Awg]: is a section, not a value", $"{path}: [Socks5] Listen: is a value, not a section"],
            result.Errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void IPv6Server_DefaultsToTheIPv6WireMtu()
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.ini", ConfigTexts.Client().Replace("vpn.example.org:51820", "[2001:db8::1]:51820", StringComparison.Ordinal));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        var client = Assert.IsType<ResolvedClientConfig>(result.Config);
        Assert.Equal(WireSizeBudget.DefaultIPv6WireMtu, client.WireMtu);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), client.Server.Address);
    }

    [Fact]
    public void NoSocks5Users_IsAnErrorEvenOnLoopback()
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.ini", ConfigTexts.ClientWithoutUsers("[Socks5]\nListen = 127.0.0.1:1080\n"));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.Contains("[Socks5:Users] is empty: add at least one 'name = password' line", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Socks5OnAPublicAddressWithUsers_IsAccepted()
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.ini", ConfigTexts.Client("[Socks5]\nListen = [::]:1080\n[Socks5:Users]\ncarol = pw\n"));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        var client = Assert.IsType<ResolvedClientConfig>(result.Config);
        Assert.Equal("pw", client.Socks5Users["carol"]);
        Assert.Equal(IPAddress.IPv6Any, client.Socks5Listen.Address);
    }

    [Fact]
    public void QuicCongestionControl_DefaultsToBbr_AndAcceptsEachControllerByName()
    {
        using var temp = new TempDirectory();
        var defaults = temp.File("d.ini", ConfigTexts.Client(""));
        var cubic = temp.File("c.ini", ConfigTexts.Client("[Quic]\nCongestionControl = cubic\n"));
        var reno = temp.File("s.ini", ConfigTexts.Server("[Quic]\nCongestionControl = NewReno\n"));

        using var fromDefaults = ConfigLoader.Load(defaults, options: s_noEnvironment);
        using var fromCubic = ConfigLoader.Load(cubic, options: s_noEnvironment);
        using var fromReno = ConfigLoader.Load(reno, options: s_noEnvironment);

        Assert.Equal(CongestionControlAlgorithm.Bbr, Assert.IsType<ResolvedClientConfig>(fromDefaults.Config).Options.Quic.CongestionControl);
        Assert.Equal(CongestionControlAlgorithm.Cubic, Assert.IsType<ResolvedClientConfig>(fromCubic.Config).Options.Quic.CongestionControl);
        Assert.Equal(CongestionControlAlgorithm.NewReno, Assert.IsType<ResolvedServerConfig>(fromReno.Config).Options.Quic.CongestionControl);
    }

    [Theory]
    [InlineData("Vegas")]
    [InlineData("7")]
    public void QuicCongestionControl_UnknownController_IsAnError(string value)
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.ini", ConfigTexts.Client($"[Quic]\nCongestionControl = {value}\n"));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("[Quic] CongestionControl", StringComparison.Ordinal));
    }

    [Fact]
    public void LogLevelOverride_WinsOverTheFile()
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.ini", ConfigTexts.Client("[Log]\nLevel = error\n"));

        using var fromFile = ConfigLoader.Load(path, options: s_noEnvironment);
        using var overridden = ConfigLoader.Load(path, options: new ConfigLoadOptions { IncludeEnvironment = false, LogLevelOverride = LogLevel.Debug });

        Assert.Equal(LogLevel.Error, fromFile.Config!.LogLevel);
        Assert.Equal(LogLevel.Debug, overridden.Config!.LogLevel);
    }

    [Fact]
    public void ServerWithClientOnlyAwgKeys_Warns()
    {
        using var temp = new TempDirectory();
        var path = temp.File("s.ini", ConfigTexts.Server("[Awg]\nJc = 4\nJmin = 10\nJmax = 20\nI1 = <r 8>\n"));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.True(result.Succeeded);
        Assert.Equal($"{path}:8: [Awg] Jc, Jmin, Jmax, I1: only clients send junk and I-packets; a server ignores them (fine when both sides share one [Awg] block)", Assert.Single(result.Warnings));
    }

    [Fact]
    public void ServerClientList_RejectsSharedKeysAndBadNames()
    {
        using var temp = new TempDirectory();
        var path = temp.File("s.ini", ConfigTexts.Server($"""
            [Clients:tablet]
            PublicKey = {ConfigTexts.ClientPublicKey}
            [Clients:bad name!]
            PublicKey = gG5ggyg1+d4+3VblUt0kSlpZgYigtydt7DXrsxLC5H8=
            [Clients:self]
            PublicKey = {ConfigTexts.ServerPublicKey}
            """));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.Equal(
            [
                $"{path}:10: [Clients:bad name!]: a client name is 1-64 letters, digits, '.', '_' or '-' (it appears in logs and metrics)",
                $"{path}:12: [Clients:self] PublicKey is the server's own public key",
                $"{path}:8: [Clients:tablet] PublicKey is the same key as [Clients:laptop]: each client needs its own key pair",
            ],
            result.Errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ServerWithoutClients_Warns()
    {
        using var temp = new TempDirectory();
        var path = temp.File("s.ini", $"[Server]\nPrivateKey = {ConfigTexts.ServerPrivateKey}\n");

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.True(result.Succeeded);
        Assert.Equal($"{path}: no [Clients:<name>] sections: no client can connect", Assert.Single(result.Warnings));
        Assert.Equal(IPEndPoint.Parse(ConfigDefaults.ServerListen), ((ResolvedServerConfig)result.Config!).Listen);
    }

    [Fact]
    public void EgressNetworks_AreParsedAndBadOnesNamed()
    {
        using var temp = new TempDirectory();
        var good = temp.File("good.ini", ConfigTexts.Server("[Egress]\nAllowNetworks = 10.1.0.0/16, fd00::/8\n"));
        var bad = temp.File("bad.ini", ConfigTexts.Server("[Egress]\nAllowNetworks = 10.1.0.0/16, 10.0.0.1/8, nonsense\n"));

        using var ok = ConfigLoader.Load(good, options: s_noEnvironment);
        using var failed = ConfigLoader.Load(bad, options: s_noEnvironment);

        Assert.Equal([IPNetwork.Parse("10.1.0.0/16"), IPNetwork.Parse("fd00::/8")], ((ResolvedServerConfig)ok.Config!).AllowedNetworks);
        Assert.Equal(2, failed.Errors.Count);
        Assert.Contains("'10.0.0.1/8' has host bits set after the prefix; did you mean '10.0.0.0/8'?", failed.Errors[0], StringComparison.Ordinal);
        Assert.Contains("'nonsense' is not a network in CIDR form", failed.Errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void QuotedIniValues_LoseTheirQuotes()
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.ini", ConfigTexts.Client("[Awg]\nI1 = \"<b 0x01><r 4>\"\n"));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.Equal("<b 0x01><r 4>", ((ResolvedClientConfig)result.Config!).Awg.I1);
    }

    [Fact]
    public void OversizedFile_IsRefused()
    {
        using var temp = new TempDirectory();
        var path = temp.File("huge.ini", ConfigTexts.Client() + new string(';', ConfigLoader.MaxFileBytes));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.Equal($"cannot read {path}: larger than {ConfigLoader.MaxFileBytes} bytes, not a config file", Assert.Single(result.Errors));
    }

    [Fact]
    public void UsersAsNestedSections_AreReportedAsValuesNotSections()
    {
        using var temp = new TempDirectory();
        var path = temp.File("c.ini", ConfigTexts.ClientWithoutUsers("[Socks5:Users]\nbob = pw\n[Socks5:Users:alice]\nPassword = pw\n"));

        using var result = ConfigLoader.Load(path, options: s_noEnvironment);

        Assert.Equal($"{path}:8: [Socks5:Users] alice: is a value, not a section", Assert.Single(result.Errors));
    }
}
