using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Frames;

/// <summary>
/// CONNECTION_CLOSE (RFC 9000 section 19.19): the sender closes the connection.
/// <code>
/// CONNECTION_CLOSE Frame {
///   Type (i) = 0x1c..0x1d,
///   Error Code (i),
///   [Frame Type (i)],
///   Reason Phrase Length (i),
///   Reason Phrase (..),
/// }
/// </code>
/// Type 0x1c carries a transport error and the type of the frame that triggered it (0 if unknown);
/// type 0x1d carries an application error and has no Frame Type field. The reason phrase is meant to
/// be UTF-8 but is kept as bytes: it is diagnostic only. <see cref="ReasonPhrase"/> points into the packet.
/// </summary>
public readonly ref struct ConnectionCloseFrame
{
    private ConnectionCloseFrame(bool isApplicationError, ulong errorCode, ulong triggeringFrameType, ReadOnlySpan<byte> reasonPhrase)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errorCode, VarInt.MaxValue);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(triggeringFrameType, VarInt.MaxValue);
        IsApplicationError = isApplicationError;
        ErrorCode = errorCode;
        TriggeringFrameType = triggeringFrameType;
        ReasonPhrase = reasonPhrase;
    }

    /// <summary>True for type 0x1d (application error), false for 0x1c (transport error).</summary>
    public bool IsApplicationError { get; }

    /// <summary>The error code: a <see cref="TransportErrorCode"/> for 0x1c, an application code for 0x1d.</summary>
    public ulong ErrorCode { get; }

    /// <summary>The error code as a transport error (meaningful when <see cref="IsApplicationError"/> is false).</summary>
    public TransportErrorCode TransportErrorCode => (TransportErrorCode)ErrorCode;

    /// <summary>The Frame Type field of a transport close (0 when not known or for an application close).</summary>
    public ulong TriggeringFrameType { get; }

    public ReadOnlySpan<byte> ReasonPhrase { get; }

    public FrameType Type => IsApplicationError ? FrameType.ConnectionCloseApplication : FrameType.ConnectionClose;

    public int Length =>
        1 + VarInt.GetLength(ErrorCode)
        + (IsApplicationError ? 0 : VarInt.GetLength(TriggeringFrameType))
        + VarInt.GetLength((ulong)ReasonPhrase.Length) + ReasonPhrase.Length;

    /// <summary>A transport close (type 0x1c), the only kind allowed in Initial and Handshake packets.</summary>
    public static ConnectionCloseFrame Transport(TransportErrorCode errorCode, ulong triggeringFrameType, ReadOnlySpan<byte> reasonPhrase) =>
        new(isApplicationError: false, (ulong)errorCode, triggeringFrameType, reasonPhrase);

    /// <summary>An application close (type 0x1d), allowed only in 0-RTT and 1-RTT packets.</summary>
    public static ConnectionCloseFrame Application(ulong errorCode, ReadOnlySpan<byte> reasonPhrase) =>
        new(isApplicationError: true, errorCode, 0, reasonPhrase);

    /// <summary>
    /// The same close with the reason phrase cut so the frame fits in <paramref name="room"/> bytes (the
    /// phrase is diagnostic; dropping its tail is harmless). Returns this frame if it already fits.
    /// </summary>
    public ConnectionCloseFrame WithReasonTruncated(int room)
    {
        int fixedLength = Length - ReasonPhrase.Length - VarInt.GetLength((ulong)ReasonPhrase.Length);
        int keep = FrameSpace.MaxDataLength(room, fixedLength, ReasonPhrase.Length, withLength: true);
        if (keep == ReasonPhrase.Length) return this;
        return new ConnectionCloseFrame(IsApplicationError, ErrorCode, TriggeringFrameType, ReasonPhrase[..Math.Max(keep, 0)]);
    }

    /// <param name="type"><see cref="FrameType.ConnectionClose"/> or <see cref="FrameType.ConnectionCloseApplication"/>.</param>
    public static bool TryParse(scoped ref SpanReader reader, FrameType type, out ConnectionCloseFrame frame)
    {
        bool application = type == FrameType.ConnectionCloseApplication;
        SpanReader r = reader;
        ulong triggeringFrameType = 0;
        if (!r.TryReadVarInt(out ulong errorCode)
            || (!application && !r.TryReadVarInt(out triggeringFrameType))
            || !r.TryReadVarIntLengthPrefixed(out ReadOnlySpan<byte> reasonPhrase))
        {
            frame = default;
            return false;
        }

        frame = new ConnectionCloseFrame(application, errorCode, triggeringFrameType, reasonPhrase);
        reader = r;
        return true;
    }

    /// <summary>
    /// Writes the frame (exactly <see cref="Length"/> bytes). Static with a <c>scoped</c> frame so a frame over
    /// short-lived bytes (stackalloc) can be written into a longer-lived writer; <c>frame.Write(ref writer)</c>
    /// works too, through <see cref="FrameWriterExtensions"/>.
    /// </summary>
    public static void Write(ref SpanWriter writer, scoped ConnectionCloseFrame frame)
    {
        writer.WriteByte((byte)frame.Type);
        writer.WriteVarInt(frame.ErrorCode);
        if (!frame.IsApplicationError) writer.WriteVarInt(frame.TriggeringFrameType);
        writer.WriteVarInt((ulong)frame.ReasonPhrase.Length);
        frame.ReasonPhrase.CopyTo(writer.Reserve(frame.ReasonPhrase.Length));
    }
}
