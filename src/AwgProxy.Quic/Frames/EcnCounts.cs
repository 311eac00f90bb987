namespace AwgProxy.Quic.Frames;

/// <summary>
/// The ECN counts of an ACK frame of type 0x03 (RFC 9000 section 19.3.2): packets received with each
/// ECN codepoint in the acknowledged packet number space.
/// <code>
/// ECN Counts {
///   ECT0 Count (i),
///   ECT1 Count (i),
///   ECN-CE Count (i),
/// }
/// </code>
/// </summary>
public readonly record struct EcnCounts(ulong Ect0, ulong Ect1, ulong EcnCe);
