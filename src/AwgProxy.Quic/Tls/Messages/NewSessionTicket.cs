using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Tls.Extensions;

namespace AwgProxy.Quic.Tls.Messages;

/// <summary>
/// RFC 8446 section 4.6.1, New Session Ticket Message:
/// <code>
/// struct {
///     uint32 ticket_lifetime;
///     uint32 ticket_age_add;
///     opaque ticket_nonce&lt;0..255&gt;;
///     opaque ticket&lt;1..2^16-1&gt;;
///     Extension extensions&lt;0..2^16-2&gt;;
/// } NewSessionTicket;
/// </code>
/// This stack has no resumption: a client reads tickets only to check them and then drops them, and a
/// server never sends one.
/// </summary>
internal sealed class NewSessionTicket : IHandshakeMessage
{
    public uint TicketLifetime { get; init; }

    public uint TicketAgeAdd { get; init; }

    public byte[] TicketNonce { get; init; } = [];

    public byte[] Ticket { get; init; } = [0];

    public List<TlsExtension> Extensions { get; init; } = [];

    public HandshakeType Type => HandshakeType.NewSessionTicket;

    public int BodyLength => 4 + 4 + 1 + TicketNonce.Length + 2 + Ticket.Length + ExtensionBlock.GetLength(Extensions);

    public byte[]? FindExtension(ExtensionType type) => ExtensionBlock.Find(Extensions, type);

    public void WriteBody(ref SpanWriter writer)
    {
        writer.WriteUInt32(TicketLifetime);
        writer.WriteUInt32(TicketAgeAdd);
        writer.WriteByte((byte)TicketNonce.Length);
        writer.WriteBytes(TicketNonce);
        writer.WriteUInt16((ushort)Ticket.Length);
        writer.WriteBytes(Ticket);
        ExtensionBlock.Write(ref writer, Extensions);
    }

    public static bool TryParse(ReadOnlySpan<byte> body, out NewSessionTicket? message)
    {
        message = null;
        var reader = new SpanReader(body);
        if (!reader.TryReadUInt32(out uint lifetime) || !reader.TryReadUInt32(out uint ageAdd)) return false;
        if (!reader.TryReadUInt8LengthPrefixed(out ReadOnlySpan<byte> nonce)) return false;
        if (!reader.TryReadUInt16LengthPrefixed(out ReadOnlySpan<byte> ticket) || ticket.IsEmpty) return false;
        if (!ExtensionBlock.TryRead(ref reader, out List<TlsExtension> extensions, out _) || !reader.IsEmpty) return false;
        message = new NewSessionTicket
        {
            TicketLifetime = lifetime,
            TicketAgeAdd = ageAdd,
            TicketNonce = nonce.ToArray(),
            Ticket = ticket.ToArray(),
            Extensions = extensions,
        };
        return true;
    }
}
