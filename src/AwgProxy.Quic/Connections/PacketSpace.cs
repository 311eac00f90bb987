using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Recovery;
using AwgProxy.Quic.Streams;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// The state a connection keeps per packet number space (RFC 9000 section 12.3): packet protection keys, the next
/// packet number, the received-packet tracker that drives ACK frames, and the CRYPTO stream in each direction
/// (RFC 9000 section 19.6). The Application Data space holds the 1-RTT keys; its CRYPTO stream carries
/// post-handshake TLS messages.
/// </summary>
internal sealed class PacketSpace : IDisposable
{
    /// <summary>The most CRYPTO bytes buffered per level in each direction (a TLS flight plus a certificate chain fit easily).</summary>
    public const int CryptoBufferSize = 64 * 1024;

    public PacketSpace(PacketNumberSpace space, TimeSpan maxAckDelay)
    {
        Space = space;
        Level = space switch
        {
            PacketNumberSpace.Initial => EncryptionLevel.Initial,
            PacketNumberSpace.Handshake => EncryptionLevel.Handshake,
            _ => EncryptionLevel.OneRtt,
        };
        Received = new ReceivedPacketTracker(space, maxAckDelay);
        CryptoSend = new SendBuffer(CryptoBufferSize);
        CryptoReceive = new ReceiveAssembler(CryptoBufferSize, TransportErrorCode.CRYPTO_BUFFER_EXCEEDED);
    }

    public PacketNumberSpace Space { get; }

    public EncryptionLevel Level { get; }

    /// <summary>Keys protecting the packets we send at this level (null until TLS provides them).</summary>
    public DirectionKeys? SendKeys { get; set; }

    /// <summary>Keys protecting the packets the peer sends at this level.</summary>
    public DirectionKeys? ReceiveKeys { get; set; }

    /// <summary>The packet number of the next packet sent in this space (never reused, never reset, even after Retry).</summary>
    public ulong NextPacketNumber { get; set; }

    public ReceivedPacketTracker Received { get; }

    public SendBuffer CryptoSend { get; }

    public ReceiveAssembler CryptoReceive { get; }

    /// <summary>The keys were discarded (RFC 9001 section 4.9): nothing is sent or accepted in this space any more.</summary>
    public bool IsDiscarded { get; private set; }

    /// <summary>At least one packet was sent in this space.</summary>
    public bool HasSent => NextPacketNumber > 0;

    public bool CanSend => !IsDiscarded && SendKeys is not null;

    public bool CanReceive => !IsDiscarded && ReceiveKeys is not null;

    /// <summary>Replaces both directions' keys (Initial keys after a Retry).</summary>
    public void ReplaceKeys(DirectionKeys send, DirectionKeys receive)
    {
        SendKeys?.Dispose();
        ReceiveKeys?.Dispose();
        SendKeys = send;
        ReceiveKeys = receive;
    }

    /// <summary>Drops the keys and buffers of this space for good.</summary>
    public void Discard()
    {
        if (IsDiscarded) return;
        IsDiscarded = true;
        Dispose();
    }

    public void Dispose()
    {
        SendKeys?.Dispose();
        ReceiveKeys?.Dispose();
        SendKeys = null;
        ReceiveKeys = null;
        CryptoSend.Dispose();
        CryptoReceive.Dispose();
    }
}
