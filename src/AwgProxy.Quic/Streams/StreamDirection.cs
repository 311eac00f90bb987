namespace AwgProxy.Quic.Streams;

/// <summary>
/// RFC 9000 section 2.1: the second least significant bit of the stream ID (0 = bidirectional,
/// 1 = unidirectional). A unidirectional stream carries data from its initiator to the peer only.
/// </summary>
public enum StreamDirection : byte
{
    Bidirectional = 0,
    Unidirectional = 1,
}
