namespace AwgProxy.Socks5;

/// <summary>The stage a session's handshake is in; each stage has its own failure answer.</summary>
internal enum Socks5HandshakeStage
{
    /// <summary>Waiting for the method selection message. No failure answer exists: close.</summary>
    Greeting,

    /// <summary>Waiting for the RFC 1929 request. Failure answer: VER X'01', STATUS X'01'.</summary>
    Authentication,

    /// <summary>Waiting for the SOCKS request. Failure answer: a reply with the fitting REP.</summary>
    Request,
}
