using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Extensions;

/// <summary>
/// RFC 8446 section 4.2.10, Early Data Indication:
/// <code>
/// struct {} Empty;
///
/// struct {
///     select (Handshake.msg_type) {
///         case new_session_ticket:   uint32 max_early_data_size;
///         case client_hello:         Empty;
///         case encrypted_extensions: Empty;
///     };
/// } EarlyDataIndication;
/// </code>
/// This stack never sends or accepts early data; the NewSessionTicket form is read only to apply
/// RFC 9001 section 4.6.1 (a value other than 0xffffffff is a PROTOCOL_VIOLATION).
/// </summary>
internal static class EarlyDataExtension
{
    /// <summary>The only max_early_data_size QUIC allows (RFC 9001 section 4.6.1).</summary>
    public const uint QuicMaxEarlyDataSize = 0xFFFF_FFFF;

    public static byte[] EncodeNewSessionTicket(uint maxEarlyDataSize)
        => [(byte)(maxEarlyDataSize >> 24), (byte)(maxEarlyDataSize >> 16), (byte)(maxEarlyDataSize >> 8), (byte)maxEarlyDataSize];

    public static bool TryParseNewSessionTicket(ReadOnlySpan<byte> data, out uint maxEarlyDataSize)
    {
        var reader = new SpanReader(data);
        return reader.TryReadUInt32(out maxEarlyDataSize) && reader.IsEmpty;
    }
}
