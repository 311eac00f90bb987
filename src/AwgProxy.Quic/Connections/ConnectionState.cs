namespace AwgProxy.Quic.Connections;

/// <summary>The life cycle of a <see cref="Connection"/> (RFC 9000 sections 7 and 10).</summary>
public enum ConnectionState
{
    /// <summary>The TLS handshake is running; no application data can be exchanged yet.</summary>
    Handshaking,

    /// <summary>The handshake completed: streams and datagrams can be used.</summary>
    Connected,

    /// <summary>
    /// This endpoint closed the connection (RFC 9000 section 10.2.1): it answers incoming packets with
    /// CONNECTION_CLOSE, at a limited rate, for three PTOs, then becomes <see cref="Closed"/>.
    /// </summary>
    Closing,

    /// <summary>
    /// The peer closed the connection or reset it (RFC 9000 section 10.2.2): nothing is sent; after three PTOs the
    /// connection becomes <see cref="Closed"/>.
    /// </summary>
    Draining,

    /// <summary>The connection is gone: the <see cref="ConnectionEventKind.Drained"/> event was raised.</summary>
    Closed,
}
