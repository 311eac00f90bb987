using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Coding;

namespace AwgProxy.Interop.Http3;

/// <summary>
/// The unidirectional-stream side of an HTTP/3 connection, shared by client and server (RFC 9114 section
/// 6.2): opens our control stream with an empty SETTINGS frame (so the peer's QPACK encoder may use only
/// the static table and literals), and reads the peer's unidirectional streams: the control stream's
/// frames are parsed (SETTINGS first, unknown frames skipped), everything else (QPACK encoder/decoder,
/// unknown and reserved types) is read and discarded. Peer streams are never closed or reset.
/// </summary>
public sealed class Http3ControlStreams
{
    /// <summary>Stream type 0x00 (control), then SETTINGS (type 0x04) with an empty payload.</summary>
    public static ReadOnlySpan<byte> OurControlStreamPrefix => [0x00, 0x04, 0x00];

    private readonly TextWriter? _log;
    private InteropStream? _controlStream;
    private int _peerControlStreams;

    public Http3ControlStreams(TextWriter? log = null)
    {
        _log = log;
    }

    /// <summary>The peer's SETTINGS once its control stream has delivered them.</summary>
    public Http3Settings? PeerSettings { get; private set; }

    /// <summary>The ID in the peer's GOAWAY, if it sent one.</summary>
    public ulong? PeerGoAway { get; private set; }

    /// <summary>The first rule the peer's control stream broke, or null (logged, not fatal here).</summary>
    public string? PeerControlStreamError { get; private set; }

    /// <summary>Opens our control stream and sends <c>00 04 00</c>. The stream stays open for the connection's life.</summary>
    public async Task OpenAsync(IInteropConnection connection, CancellationToken cancellationToken)
    {
        _controlStream = await connection.OpenUnidirectionalStreamAsync(cancellationToken).ConfigureAwait(false);
        await _controlStream.WriteAsync(OurControlStreamPrefix.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one unidirectional stream the peer opened until it ends, the connection goes away or
    /// <paramref name="cancellationToken"/> fires. Never throws; returns true if the stream reached its end
    /// (so disposing it cannot send STOP_SENDING).
    /// </summary>
    public async Task<bool> ServeInboundAsync(InteropStream stream, CancellationToken cancellationToken)
    {
        using var reader = new Http3FrameReader(stream, 16 * 1024);
        try
        {
            ulong? type = await reader.ReadVarIntAsync(cancellationToken).ConfigureAwait(false);
            if (type is null)
            {
                return true;
            }

            if (type == Http3StreamType.Control)
            {
                if (Interlocked.Increment(ref _peerControlStreams) > 1)
                {
                    Fail("a second control stream (H3_STREAM_CREATION_ERROR)");
                }
                else
                {
                    await ReadControlStreamAsync(reader, cancellationToken).ConfigureAwait(false);
                }
            }

            // QPACK encoder/decoder streams, push streams, unknown and reserved types: discard.
            await reader.DrainAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is going away; nothing to do for an ignored stream.
            return false;
        }
    }

    private async Task ReadControlStreamAsync(Http3FrameReader reader, CancellationToken cancellationToken)
    {
        bool first = true;
        while (true)
        {
            Http3FrameHeader? read = await reader.ReadFrameHeaderAsync(cancellationToken).ConfigureAwait(false);
            if (read is not { } header)
            {
                Fail("the peer closed its control stream (H3_CLOSED_CRITICAL_STREAM)");
                return;
            }

            if (first && header.Type != Http3FrameType.Settings)
            {
                Fail($"control stream starts with frame type 0x{header.Type:x}, not SETTINGS (H3_MISSING_SETTINGS)");
                return;
            }

            switch (header.Type)
            {
                case Http3FrameType.Settings when first:
                    ReadOnlyMemory<byte> payload = await reader.ReadPayloadAsync(header.Length, cancellationToken).ConfigureAwait(false);
                    if (!Http3Settings.TryRead(payload.Span, out Http3Settings settings))
                    {
                        Fail("malformed SETTINGS (H3_SETTINGS_ERROR)");
                        return;
                    }

                    PeerSettings = settings;
                    _log?.WriteLine($"h3: peer SETTINGS qpack_max_table_capacity={settings.QpackMaxTableCapacity} qpack_blocked_streams={settings.QpackBlockedStreams}");
                    break;
                case Http3FrameType.GoAway:
                    ReadOnlyMemory<byte> goAway = await reader.ReadPayloadAsync(header.Length, cancellationToken).ConfigureAwait(false);
                    if (!VarInt.TryRead(goAway.Span, out ulong id, out int consumed) || consumed != goAway.Length)
                    {
                        Fail("malformed GOAWAY (H3_FRAME_ERROR)");
                        return;
                    }

                    PeerGoAway = id;
                    break;
                case Http3FrameType.Settings:
                case Http3FrameType.Data:
                case Http3FrameType.Headers:
                case Http3FrameType.PushPromise:
                case var type when Http3FrameType.IsHttp2Only(type):
                    Fail($"frame type 0x{header.Type:x} on the control stream (H3_FRAME_UNEXPECTED)");
                    return;
                default:
                    // CANCEL_PUSH, MAX_PUSH_ID, PRIORITY_UPDATE, reserved and unknown frames.
                    await reader.SkipPayloadAsync(header.Length, cancellationToken).ConfigureAwait(false);
                    break;
            }

            first = false;
        }
    }

    private void Fail(string message)
    {
        PeerControlStreamError ??= message;
        _log?.WriteLine($"h3: {message}");
    }
}
