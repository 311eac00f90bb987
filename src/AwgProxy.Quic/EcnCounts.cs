namespace AwgProxy.Quic;

/// <summary>
/// The ECN Counts section of an ACK frame (RFC 9000 section 19.3.2): the number of packets received in one
/// packet number space with each ECN codepoint.
/// </summary>
/// <remarks>
/// <code>
/// ECN Counts {
///   ECT0 Count (i),
///   ECT1 Count (i),
///   ECN-CE Count (i),
/// }
/// </code>
/// </remarks>
public readonly record struct EcnCounts(ulong Ect0, ulong Ect1, ulong Ce)
{
    /// <summary>True when no packet carried an ECN codepoint (an ACK frame can then use type 0x02).</summary>
    public bool IsEmpty => Ect0 == 0 && Ect1 == 0 && Ce == 0;
}
