namespace AwgProxy.Obfuscation;

/// <summary>
/// The four WireGuard message classes whose padding (S_k) and header range (H_k) AmneziaWG sets,
/// and the QUIC datagrams this project sends in each (../shared/design/envelope.md).
/// </summary>
public enum AwgMessageClass
{
    /// <summary>Class 1 (S1, H1): client datagrams whose first packet is a long-header Initial.</summary>
    Initiation = 1,

    /// <summary>Class 2 (S2, H2): server datagrams whose first packet is an Initial or Handshake.</summary>
    Response = 2,

    /// <summary>Class 3 (S3, H3): a server's Retry, QUIC's address-validation cookie.</summary>
    Cookie = 3,

    /// <summary>Class 4 (S4, H4): every other datagram of either side.</summary>
    Transport = 4,
}
