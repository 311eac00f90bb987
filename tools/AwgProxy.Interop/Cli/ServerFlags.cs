using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Crypto;

namespace AwgProxy.Interop.Cli;

/// <summary>
/// The <c>server</c> command's flags: quicgo-peer's server flags with the same names and defaults, plus
/// <c>-ciphers</c>.
/// </summary>
public sealed class ServerFlags
{
    public string Listen { get; private set; } = "127.0.0.1:4434";

    public string CertificateFile { get; private set; } = string.Empty;

    public string KeyFile { get; private set; } = string.Empty;

    public IReadOnlyList<string> ApplicationProtocols { get; private set; } = ["interop-test"];

    public bool Retry { get; private set; }

    public IReadOnlyList<InteropKeyExchangeGroup> Groups { get; private set; } = [];

    public IReadOnlyList<CipherSuite> CipherSuites { get; private set; } = [];

    public string QlogDirectory { get; private set; } = string.Empty;

    public string KeyLogPath { get; private set; } = string.Empty;

    public TimeSpan Lifetime { get; private set; } = TimeSpan.FromMinutes(10);

    /// <summary>Exit after this many connections have finished; 0 = no limit.</summary>
    public int MaxConnections { get; private set; }

    public ulong MaxStreamReceiveWindow { get; private set; }

    public ulong MaxConnectionReceiveWindow { get; private set; }

    public TimeSpan IdleTimeout { get; private set; } = TimeSpan.FromSeconds(30);

    public bool Verbose { get; private set; }

    public static FlagsParse<ServerFlags> Parse(IReadOnlyList<string> args)
    {
        var flags = new ServerFlags();
        GoFlagSet set = flags.CreateFlagSet();
        GoFlagParseResult result = set.Parse(args);
        string? error = result.Status == GoFlagParseStatus.Error ? result.Error : flags.Validate(result.Remaining);
        return new FlagsParse<ServerFlags>(result.Status == GoFlagParseStatus.Help, error, error is null ? flags : null, set);
    }

    private string? Validate(IReadOnlyList<string> remaining)
    {
        if (remaining.Count > 0)
        {
            return $"unexpected argument \"{remaining[0]}\" (flags only)";
        }

        if ((CertificateFile.Length == 0) != (KeyFile.Length == 0))
        {
            return "-cert and -key go together";
        }

        if (MaxConnections < 0)
        {
            return "-max-conns must not be negative";
        }

        return null;
    }

    private GoFlagSet CreateFlagSet()
    {
        var set = new GoFlagSet("server");
        set.AddString("listen", "UDP address to listen on (loopback only)", Listen, v => Listen = v);
        set.AddString("cert", "PEM certificate (default: ephemeral self-signed P-256)", CertificateFile, v => CertificateFile = v);
        set.AddString("key", "PEM private key", KeyFile, v => KeyFile = v);
        set.Add("alpn", "string", "comma-separated ALPN list the server accepts (h3 connections get HTTP/3)", "\"interop-test\"", v =>
        {
            if (!TlsNames.TryParseAlpn(v, out IReadOnlyList<string> list, out string? error))
            {
                return error;
            }

            ApplicationProtocols = list;
            return null;
        });
        set.AddBool("retry", "force address validation (send a Retry packet to every client)", Retry, v => Retry = v);
        set.Add("groups", "string", "TLS key exchange groups in preference order, e.g. x25519,p256", string.Empty, v =>
        {
            if (!TlsNames.TryParseGroups(v, out IReadOnlyList<InteropKeyExchangeGroup> list, out string? error))
            {
                return error;
            }

            Groups = list;
            return null;
        });
        set.Add("ciphers", "string", "TLS 1.3 cipher suites in preference order: aes128,aes256,chacha20 (default: the transport's)", string.Empty, v =>
        {
            if (!TlsNames.TryParseCipherSuites(v, out IReadOnlyList<CipherSuite> list, out string? error))
            {
                return error;
            }

            CipherSuites = list;
            return null;
        });
        set.AddString("qlog", "write one qlog file per connection into this dir (or env QLOGDIR)", QlogDirectory, v => QlogDirectory = v);
        set.AddString("keylog", "NSS key log file (default: env SSLKEYLOGFILE)", KeyLogPath, v => KeyLogPath = v);
        set.AddDuration("lifetime", "exit after this long", Lifetime, v => Lifetime = v);
        set.AddInt32("max-conns", "exit after this many connections have finished (0 = no limit)", MaxConnections, v => MaxConnections = v);
        set.AddUInt64("max-stream-window", "max stream receive window (0 = transport default)", 0, v => MaxStreamReceiveWindow = v);
        set.AddUInt64("max-conn-window", "max connection receive window (0 = transport default)", 0, v => MaxConnectionReceiveWindow = v);
        set.AddDuration("idle", "max idle timeout", IdleTimeout, v => IdleTimeout = v);
        set.AddBool("v", "log every connection and stream", Verbose, v => Verbose = v);
        return set;
    }
}
