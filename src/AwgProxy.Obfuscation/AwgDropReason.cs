namespace AwgProxy.Obfuscation;

/// <summary>
/// Why the envelope dropped a received datagram instead of handing it to QUIC. A datagram is tried
/// against every class its peer may send; the reason reported is the furthest check it reached
/// under any of them (so a datagram whose header lies in some H_k but whose next byte is wrong is
/// <see cref="ImplausibleFirstByte"/>, not <see cref="HeaderOutOfRange"/>).
/// </summary>
public enum AwgDropReason
{
    /// <summary>Not longer than S_k + 4 for any class tried: no room for a header and a QUIC byte.</summary>
    TooShort,

    /// <summary>Long enough, but the 4-byte little-endian value at offset S_k lies in no H_k tried.</summary>
    HeaderOutOfRange,

    /// <summary>The header lies in H_k, but the QUIC bytes after it cannot start a class k datagram.</summary>
    ImplausibleFirstByte,
}
