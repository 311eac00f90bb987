// Port of the obfuscation part of device/uapi.go from amneziawg-go at
// e796d477d89e6851b2bb4871bf75f1e621f94ace, in upstream's order: IPCError (Error, ErrorCode),
// ipcErrorf, IpcSetOperation, handleDeviceLine (only jc, jmin, jmax, s1-s4, h1-h4, i1-i5),
// ipcSetDevice, mergeWithDevice; error codes from ipc/uapi_unix.go on Linux.
// It is a pure function over the UAPI text and a DeviceState: no socket, no logging, no peers.
// Any other key, WireGuard's own (private_key, listen_port, public_key, ...) included, is an
// "invalid UAPI device key", as in the harness that produced the vectors.
// Deviations (UPSTREAM.md): the h and i values go through this port's parsers, which also reject
// what upstream accepts and later crashes on (full-range headers, negative or oversized tag lengths)
// and accept <c>.
using System.Text;
using AwgProxy.AmneziaWG.Stdlib;

namespace AwgProxy.AmneziaWG.Device;

/// <summary>IPCError: a failed set operation, printed as <c>IPC error CODE: ERR</c>.</summary>
public sealed class IpcError
{
    /// <summary>IpcErrorIO: -EIO, the input could not be read (a line longer than bufio.Scanner's 64 KiB).</summary>
    public const long IpcErrorIO = -5;

    /// <summary>IpcErrorProtocol: -EPROTO on Linux, a line without '='.</summary>
    public const long IpcErrorProtocol = -71;

    /// <summary>IpcErrorInvalid: -EINVAL, every validation error.</summary>
    public const long IpcErrorInvalid = -22;

    internal IpcError(long code, string err)
    {
        Code = code;
        Err = err;
    }

    /// <summary>ErrorCode: the negative errno.</summary>
    public long Code { get; }

    /// <summary>The wrapped error's text (what Unwrap() would print).</summary>
    public string Err { get; }

    /// <summary>Error(): <c>IPC error {code}: {err}</c>.</summary>
    public string Error() => $"IPC error {Code}: {Err}";

    /// <inheritdoc/>
    public override string ToString() => Error();
}

/// <summary>The UAPI "set" operation, restricted to the device-level obfuscation keys.</summary>
public static class Uapi
{
    // bufio.MaxScanTokenSize: a line (without its '\n') must fit the scanner's 64 KiB buffer with room to spare.
    private const int MaxScanTokenSize = 64 * 1024;

    /// <summary>
    /// IpcSetOperation: applies <paramref name="input"/> to <paramref name="device"/> line by line and
    /// returns null on success. Lines are split on '\n' and lose one trailing '\r'; a blank line ends
    /// the operation and the rest is ignored. Each line takes effect as it is read: when one fails,
    /// the operation stops and the lines before it stay applied (no rollback). At the end (blank
    /// line or end of input) the four headers must not overlap; when they do, the error is reported
    /// but the headers are kept. A line without '=' is error -71, anything else -22.
    /// </summary>
    public static IpcError? IpcSetOperation(DeviceState device, string input)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(input);
        var ipcDev = new IpcSetDevice();

        var position = 0;
        string? readError = null;
        while (position < input.Length)
        {
            var newline = input.IndexOf('\n', position);
            var line = newline < 0 ? input[position..] : input[position..newline];
            position = newline < 0 ? input.Length : newline + 1;
            if (Encoding.UTF8.GetByteCount(line) >= MaxScanTokenSize)
            {
                readError = "bufio.Scanner: token too long";
                break;
            }

            if (line.EndsWith('\r'))
            {
                line = line[..^1];
            }

            if (line.Length == 0)
            {
                // Blank line means terminate operation.
                var mergeError = ipcDev.MergeWithDevice(device);
                return mergeError is null ? null : IpcErrorf(IpcError.IpcErrorInvalid, $"failed to merge with device: {mergeError}");
            }

            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator < 0)
            {
                return IpcErrorf(IpcError.IpcErrorProtocol, $"failed to parse line {GoStrconv.Quote(line)}");
            }

            var err = HandleDeviceLine(device, line[..separator], line[(separator + 1)..]);
            if (err is not null)
            {
                return err;
            }
        }

        var error = ipcDev.MergeWithDevice(device);
        if (error is not null)
        {
            return IpcErrorf(IpcError.IpcErrorInvalid, $"failed to merge with device: {error}");
        }

        return readError is null ? null : IpcErrorf(IpcError.IpcErrorIO, $"failed to read input: {readError}");
    }

    /// <summary>
    /// handleDeviceLine for the obfuscation keys. jc, jmin, jmax: strconv.Atoi, then &gt; 0.
    /// s1..s4: strconv.Atoi, then &gt;= 0. h1..h4: <see cref="MagicHeader.TryParse"/>, wrapped as
    /// <c>failed to parse H1: ...</c>. i1..i5: <see cref="ObfChain.TryParse(string, out ObfChain?, out string?)"/>,
    /// wrapped as <c>failed to parse I1: ...</c>. Keys are case-sensitive and not trimmed.
    /// </summary>
    public static IpcError? HandleDeviceLine(DeviceState device, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(device);
        switch (key)
        {
            case "jc":
                return SetPositive(key, value, v => device.Junk.Count = v);
            case "jmin":
                return SetPositive(key, value, v => device.Junk.Min = v);
            case "jmax":
                return SetPositive(key, value, v => device.Junk.Max = v);
            case "s1":
                return SetNonNegative(key, value, v => device.Paddings.Init = v);
            case "s2":
                return SetNonNegative(key, value, v => device.Paddings.Response = v);
            case "s3":
                return SetNonNegative(key, value, v => device.Paddings.Cookie = v);
            case "s4":
                return SetNonNegative(key, value, v => device.Paddings.Transport = v);
            case "h1":
                return SetHeader("H1", value, h => device.Headers.Init = h);
            case "h2":
                return SetHeader("H2", value, h => device.Headers.Response = h);
            case "h3":
                return SetHeader("H3", value, h => device.Headers.Cookie = h);
            case "h4":
                return SetHeader("H4", value, h => device.Headers.Transport = h);
            case "i1":
            case "i2":
            case "i3":
            case "i4":
            case "i5":
                var index = key[1] - '1';
                if (!ObfChain.TryParse(value, out var chain, out var chainError))
                {
                    return IpcErrorf(IpcError.IpcErrorInvalid, $"failed to parse I{index + 1}: {chainError}");
                }

                device.IPackets[index] = chain;
                return null;
            default:
                return IpcErrorf(IpcError.IpcErrorInvalid, $"invalid UAPI device key: {key}");
        }
    }

    private static IpcError? SetPositive(string key, string value, Action<long> set)
    {
        if (!GoStrconv.TryAtoi(value, out var v, out var error))
        {
            return IpcErrorf(IpcError.IpcErrorInvalid, $"failed to parse {key}: {error}");
        }

        if (v <= 0)
        {
            return IpcErrorf(IpcError.IpcErrorInvalid, $"{key} must be a positive value");
        }

        set(v);
        return null;
    }

    private static IpcError? SetNonNegative(string key, string value, Action<long> set)
    {
        if (!GoStrconv.TryAtoi(value, out var v, out var error))
        {
            return IpcErrorf(IpcError.IpcErrorInvalid, $"failed to parse {key}: {error}");
        }

        if (v < 0)
        {
            return IpcErrorf(IpcError.IpcErrorInvalid, $"{key} must be non-negative");
        }

        set(v);
        return null;
    }

    private static IpcError? SetHeader(string name, string value, Action<MagicHeader> set)
    {
        if (!MagicHeader.TryParse(value, out var header, out var error))
        {
            return IpcErrorf(IpcError.IpcErrorInvalid, $"failed to parse {name}: {error}");
        }

        set(header);
        return null;
    }

    private static IpcError IpcErrorf(long code, string message) => new(code, message);
}

/// <summary>
/// ipcSetDevice: the headers a set operation stages. handleDeviceLine writes the device directly,
/// so at e796d47 they are always unset and the merge checks the device's own current headers.
/// </summary>
internal sealed class IpcSetDevice
{
    private MagicHeader? _init;
    private MagicHeader? _response;
    private MagicHeader? _cookie;
    private MagicHeader? _transport;

    /// <summary>
    /// mergeWithDevice: fills unset headers from the device, then requires every pair of the four to
    /// be disjoint as inclusive ranges (a shared endpoint overlaps). Returns the error text or null.
    /// </summary>
    public string? MergeWithDevice(DeviceState device)
    {
        _init ??= device.Headers.Init;
        _response ??= device.Headers.Response;
        _cookie ??= device.Headers.Cookie;
        _transport ??= device.Headers.Transport;

        MagicHeader[] headers = [_init, _response, _cookie, _transport];
        for (var i = 0; i < headers.Length; i++)
        {
            for (var j = i + 1; j < headers.Length; j++)
            {
                var left = headers[i];
                var right = headers[j];
                if (left.Start <= right.End && right.Start <= left.End)
                {
                    return "headers must not overlap";
                }
            }
        }

        device.Headers.Init = _init;
        device.Headers.Response = _response;
        device.Headers.Cookie = _cookie;
        device.Headers.Transport = _transport;
        return null;
    }
}
