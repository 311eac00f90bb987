namespace AwgProxy.Quic.Transport;

/// <summary>The kind of stream to open (the shape of System.Net.Quic's QuicStreamType).</summary>
public enum QuicStreamType
{
    /// <summary>Data flows from the initiator to the peer only.</summary>
    Unidirectional,

    /// <summary>Data flows both ways.</summary>
    Bidirectional,
}
