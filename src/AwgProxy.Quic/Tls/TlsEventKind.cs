namespace AwgProxy.Quic.Tls;

/// <summary>What a <see cref="TlsEvent"/> tells the QUIC connection (RFC 9001 section 4.1).</summary>
public enum TlsEventKind
{
    /// <summary>
    /// Handshake bytes to send in CRYPTO frames at <see cref="TlsEvent.Level"/>, appended to that
    /// level's CRYPTO stream (<see cref="TlsEvent.Data"/>).
    /// </summary>
    WriteData,

    /// <summary>
    /// A traffic secret for <see cref="TlsEvent.Level"/> in one <see cref="TlsEvent.Direction"/>, to be
    /// turned into packet protection keys with <see cref="TlsEvent.CipherSuite"/> (RFC 9001 section 5.1).
    /// </summary>
    SecretsAvailable,

    /// <summary>The peer's quic_transport_parameters extension body (<see cref="TlsEvent.Data"/>), still encoded.</summary>
    PeerTransportParameters,

    /// <summary>
    /// The handshake is complete (RFC 9001 section 4.1.1): this side has sent its Finished and verified
    /// the peer's. On the server this also means the handshake is confirmed (send HANDSHAKE_DONE).
    /// </summary>
    HandshakeComplete,
}
