namespace AwgProxy.Socks5;

/// <summary>Tag values of <see cref="Socks5Metrics"/>' reason tags.</summary>
internal static class Socks5MetricReasons
{
    public const string SessionLimit = "session_limit";
    public const string Timeout = "timeout";
    public const string ProtocolError = "protocol_error";
    public const string ClientClosed = "client_closed";
    public const string InvalidCredentials = "invalid_credentials";
    public const string NoAcceptableMethod = "no_acceptable_method";
    public const string Malformed = "malformed";
}
