using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Crypto;

namespace AwgProxy.Interop.Cli;

/// <summary>
/// The <c>client</c> command's flags: quicgo-peer's client flags with the same names and defaults, plus
/// <c>-ciphers</c>.
/// </summary>
public sealed class ClientFlags
{
    public string Address { get; private set; } = "127.0.0.1:4434";

    public string ServerName { get; private set; } = "localhost";

    public IReadOnlyList<string> ApplicationProtocols { get; private set; } = ["interop-test"];

    public ClientMode Mode { get; private set; } = ClientMode.Get;

    /// <summary>Bytes per connection, split over <see cref="Streams"/> streams.</summary>
    public long Bytes { get; private set; } = 100L << 20;

    public int Streams { get; private set; } = 1;

    public int Connections { get; private set; } = 1;

    public IReadOnlyList<InteropKeyExchangeGroup> Groups { get; private set; } = [];

    public IReadOnlyList<CipherSuite> CipherSuites { get; private set; } = [];

    public string CaFile { get; private set; } = string.Empty;

    public string QlogDirectory { get; private set; } = string.Empty;

    public string KeyLogPath { get; private set; } = string.Empty;

    public ulong MaxStreamReceiveWindow { get; private set; }

    public ulong MaxConnectionReceiveWindow { get; private set; }

    public TimeSpan Timeout { get; private set; } = TimeSpan.FromMinutes(2);

    public bool Verify { get; private set; }

    /// <summary>Whether the payload is hashed for the RESULT line's <c>sha256=</c> (false: only counted, <c>sha256=-</c>).</summary>
    public bool Hash { get; private set; } = true;

    /// <summary>Parses the arguments after <c>client</c>; see <see cref="FlagsParse{T}"/> for the outcomes.</summary>
    public static FlagsParse<ClientFlags> Parse(IReadOnlyList<string> args)
    {
        var flags = new ClientFlags();
        GoFlagSet set = flags.CreateFlagSet();
        GoFlagParseResult result = set.Parse(args);
        string? error = result.Status == GoFlagParseStatus.Error ? result.Error : flags.Validate(result.Remaining);
        return new FlagsParse<ClientFlags>(result.Status == GoFlagParseStatus.Help, error, error is null ? flags : null, set);
    }

    private string? Validate(IReadOnlyList<string> remaining)
    {
        if (remaining.Count > 0)
        {
            return $"unexpected argument \"{remaining[0]}\" (flags only)";
        }

        if (Bytes < 0)
        {
            return "-bytes must not be negative";
        }

        if (Streams < 1)
        {
            return "-streams must be at least 1";
        }

        if (Connections < 1)
        {
            return "-conns must be at least 1";
        }

        return null;
    }

    private GoFlagSet CreateFlagSet()
    {
        var set = new GoFlagSet("client");
        set.AddString("addr", "server UDP address (loopback only)", Address, v => Address = v);
        set.AddString("sni", "TLS server name", ServerName, v => ServerName = v);
        set.Add("alpn", "string", "comma-separated ALPN list to offer (h3: HTTP/3 GET /<bytes>)", "\"interop-test\"", v =>
        {
            if (!TlsNames.TryParseAlpn(v, out IReadOnlyList<string> list, out string? error))
            {
                return error;
            }

            ApplicationProtocols = list;
            return null;
        });
        set.Add("mode", "string", "get | put | echo | handshake", "\"get\"", v =>
        {
            ClientMode? mode = v switch
            {
                "get" => ClientMode.Get,
                "put" => ClientMode.Put,
                "echo" => ClientMode.Echo,
                "handshake" => ClientMode.Handshake,
                _ => null,
            };
            if (mode is null)
            {
                return "must be get, put, echo or handshake";
            }

            Mode = mode.Value;
            return null;
        });
        set.AddInt64("bytes", "bytes per connection (split over -streams streams)", Bytes, v => Bytes = v);
        set.AddInt32("streams", "parallel bidirectional streams per connection", Streams, v => Streams = v);
        set.AddInt32("conns", "sequential connections (each does the same transfer)", Connections, v => Connections = v);
        set.Add("groups", "string", "TLS key exchange groups in preference order, e.g. p256 (first one gets the key_share)", string.Empty, v =>
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
        set.AddString("ca", "verify the server against this PEM certificate (default: no verification)", CaFile, v => CaFile = v);
        set.AddString("qlog", "write one qlog file per connection into this dir (or env QLOGDIR)", QlogDirectory, v => QlogDirectory = v);
        set.AddString("keylog", "NSS key log file (default: env SSLKEYLOGFILE)", KeyLogPath, v => KeyLogPath = v);
        set.AddUInt64("max-stream-window", "max stream receive window (0 = transport default)", 0, v => MaxStreamReceiveWindow = v);
        set.AddUInt64("max-conn-window", "max connection receive window (0 = transport default)", 0, v => MaxConnectionReceiveWindow = v);
        set.AddDuration("timeout", "give up after this long in total", Timeout, v => Timeout = v);
        set.AddBool("verify", "check downloaded/echoed bytes against the pattern", Verify, v => Verify = v);
        set.AddBool("hash", "SHA-256 of the payload on the RESULT line (false: count bytes only, like quicgo-peer; prints sha256=-)", Hash, v => Hash = v);
        return set;
    }
}
