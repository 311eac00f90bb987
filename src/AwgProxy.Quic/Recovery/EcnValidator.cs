namespace AwgProxy.Quic.Recovery;

/// <summary>
/// ECN validation for one path (RFC 9000 section 13.4.2, following the example of Appendix A.4): which codepoint
/// outgoing packets carry, and whether the peer's ECN counts agree with what was sent. <see cref="LossDetection"/>
/// owns one and feeds it every sent, acknowledged and lost packet.
/// </summary>
/// <remarks>
/// After <see cref="Enable"/> the first <see cref="TestingPacketCount"/> packets are marked ECT(0); then marking stops
/// until an ACK frame validates them. Validation fails, and marking stops for good, when an ACK frame newly
/// acknowledges marked packets without ECN counts, when the ECT(0) plus ECN-CE counts grew by less than the number
/// of marked packets it newly acknowledges, when an ECT(0) or ECT(1) count exceeds what was sent with that
/// codepoint, or when every test packet is declared lost (a path that drops ECT packets). ACK frames that do not
/// raise the largest acknowledged packet number are not checked (their counts may be stale).
/// </remarks>
public sealed class EcnValidator
{
    /// <summary>Packets marked while testing (RFC 9000 Appendix A.4 suggests 10).</summary>
    public const int TestingPacketCount = 10;

    private const int SpaceCount = 3;

    private readonly ulong[] _sentEct0 = new ulong[SpaceCount];
    private readonly EcnCounts[] _peerCounts = new EcnCounts[SpaceCount];
    private int _testSent;
    private int _testLost;

    public EcnState State { get; private set; }

    /// <summary>The codepoint for the next datagram's IP header.</summary>
    public EcnCodepoint CodepointToSend => State is EcnState.Testing or EcnState.Capable ? EcnCodepoint.Ect0 : EcnCodepoint.NotEct;

    /// <summary>Why validation failed, for diagnostics; null unless <see cref="EcnState.Failed"/>.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Starts testing the path (once; the datagram path reports ECN support).</summary>
    public void Enable()
    {
        if (State == EcnState.Disabled) State = EcnState.Testing;
    }

    /// <summary>
    /// The connection moved to another network path: ECN is validated on each path on its own (RFC 9000 section
    /// 13.4.2), so testing starts again, even after a failure on the old path. The cumulative counts stay (the peer's
    /// ACK frames count across paths). Nothing happens while ECN is disabled.
    /// </summary>
    public void Restart()
    {
        if (State == EcnState.Disabled) return;
        State = EcnState.Testing;
        FailureReason = null;
        _testSent = 0;
        _testLost = 0;
    }

    /// <summary>A packet of <paramref name="space"/> left with <paramref name="ecn"/>.</summary>
    public void OnPacketSent(PacketNumberSpace space, EcnCodepoint ecn)
    {
        if (ecn != EcnCodepoint.Ect0) return;
        _sentEct0[(int)space]++;
        if (State != EcnState.Testing) return;
        _testSent++;
        if (_testSent >= TestingPacketCount) State = EcnState.Unknown;
    }

    /// <summary>A packet sent with ECT(0) was declared lost.</summary>
    public void OnMarkedPacketLost()
    {
        if (State is not (EcnState.Testing or EcnState.Unknown)) return;
        _testLost++;
        if (State == EcnState.Unknown && _testLost >= _testSent) Fail("every ECN test packet was lost");
    }

    /// <summary>
    /// Checks an ACK frame's ECN counts (section 13.4.2.1). Returns by how much the ECN-CE count grew (0 when the
    /// frame is not used or validation failed): a congestion signal.
    /// </summary>
    /// <param name="space">The frame's packet number space.</param>
    /// <param name="newlyAckedEct0">Packets sent with ECT(0) that this frame newly acknowledges.</param>
    /// <param name="counts">The frame's ECN counts (null for an ACK frame of type 0x02).</param>
    /// <param name="largestAckedIncreased">The frame raised the largest acknowledged packet number.</param>
    public ulong OnAckReceived(PacketNumberSpace space, int newlyAckedEct0, EcnCounts? counts, bool largestAckedIncreased)
    {
        if (State is EcnState.Disabled or EcnState.Failed || !largestAckedIncreased) return 0;
        if (counts is not { } reported)
        {
            if (newlyAckedEct0 > 0) Fail("an ACK frame acknowledged ECT(0) packets without ECN counts");
            return 0;
        }

        ref EcnCounts previous = ref _peerCounts[(int)space];
        if (reported.Ect1 > 0) return Fail("the peer counted ECT(1) packets, none were sent");
        if (reported.Ect0 > _sentEct0[(int)space]) return Fail("the peer counted more ECT(0) packets than were sent");
        ulong ect0Increase = reported.Ect0 > previous.Ect0 ? reported.Ect0 - previous.Ect0 : 0;
        ulong ceIncrease = reported.Ce > previous.Ce ? reported.Ce - previous.Ce : 0;
        if (ect0Increase + ceIncrease < (ulong)newlyAckedEct0) return Fail("the ECN counts grew by less than the ECT(0) packets acknowledged (bleached or remarked)");

        previous = new EcnCounts(Math.Max(previous.Ect0, reported.Ect0), 0, Math.Max(previous.Ce, reported.Ce));
        if (newlyAckedEct0 > 0 && State is EcnState.Testing or EcnState.Unknown) State = EcnState.Capable;
        return ceIncrease;
    }

    private ulong Fail(string reason)
    {
        State = EcnState.Failed;
        FailureReason = reason;
        return 0;
    }
}
