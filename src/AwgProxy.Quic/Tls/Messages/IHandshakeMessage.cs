using AwgProxy.Quic.Coding;

namespace AwgProxy.Quic.Tls.Messages;

/// <summary>A handshake message body that knows its size and writes itself (the quic-go Length/Append shape).</summary>
internal interface IHandshakeMessage
{
    HandshakeType Type { get; }

    /// <summary>Size of the body, without the 4-byte handshake header.</summary>
    int BodyLength { get; }

    void WriteBody(ref SpanWriter writer);
}
