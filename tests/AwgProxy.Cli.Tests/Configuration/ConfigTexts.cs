namespace AwgProxy.Cli.Tests.Configuration;

/// <summary>Small valid configs to start tests from (keys from docs/examples).</summary>
internal static class ConfigTexts
{
    public const string ClientPrivateKey = "mgMwrU4OhYKMlZiw9oVDHoVJkLzRCkDO0gv3bx/yALk=";
    public const string ClientPublicKey = "chQySip91lYaYCDucBITcDPn/haIGWb7heKVHOjZv6w=";
    public const string ServerPrivateKey = "HRLU9URNiRMTAs0/6T4qt64ckUpdys6R1nMiSDDB300=";
    public const string ServerPublicKey = "agNTrTGTS7EGsu8N3weAUceUWzlKqrJ8i0xOGuOpycA=";

    /// <summary>A client with the keys above; one SOCKS5 user (alice) unless <paramref name="extra"/> has a [Socks5:Users] section.</summary>
    public static string Client(string extra = "") => ClientWithoutUsers(extra) + (extra.Contains("[Socks5:Users]", StringComparison.Ordinal) ? "" : "\n[Socks5:Users]\nalice = pw\n");

    public static string ClientWithoutUsers(string extra = "") => $"""
        [Client]
        PrivateKey = {ClientPrivateKey}
        ServerPublicKey = {ServerPublicKey}
        Server = vpn.example.org:51820
        {extra}
        """;

    public static string Server(string extra = "") => $"""
        [Server]
        PrivateKey = {ServerPrivateKey}
        Listen = 0.0.0.0:51820

        [Clients:laptop]
        PublicKey = {ClientPublicKey}
        {extra}
        """;
}
