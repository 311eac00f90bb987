namespace AwgProxy.Quic.Recovery;

/// <summary>Where ECN validation of the path stands (RFC 9000 section 13.4.2 and Appendix A.4).</summary>
public enum EcnState
{
    /// <summary>The datagram path cannot set or read ECN codepoints: packets go out Not-ECT.</summary>
    Disabled,

    /// <summary>The first packets go out ECT(0) to test the path.</summary>
    Testing,

    /// <summary>The test packets are out; no more are marked until an acknowledgment validates them.</summary>
    Unknown,

    /// <summary>Validated: every packet goes out ECT(0) and ECN-CE counts are congestion signals.</summary>
    Capable,

    /// <summary>Validation failed (counts missing, wrong or all test packets lost): packets go out Not-ECT.</summary>
    Failed,
}
