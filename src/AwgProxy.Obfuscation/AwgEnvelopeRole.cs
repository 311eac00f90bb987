namespace AwgProxy.Obfuscation;

/// <summary>
/// Which end of the QUIC connection an <see cref="AwgEnvelopePath"/> serves. The role fixes the AWG
/// classes the endpoint sends and the ones it accepts (../shared/design/envelope.md):
/// a client sends 1 and 4 and accepts 2, 3, 4; a server sends 2, 3, 4 and accepts 1 and 4.
/// </summary>
public enum AwgEnvelopeRole
{
    /// <summary>The QUIC client: it starts handshakes, so it alone sends I-packets and junk.</summary>
    Client,

    /// <summary>The QUIC server.</summary>
    Server,
}
