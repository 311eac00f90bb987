namespace AwgProxy.Quic.Recovery;

/// <summary>
/// Datagram Packetization Layer PMTU Discovery (RFC 8899, as RFC 9000 section 14.3 applies it to QUIC) for one path:
/// the largest datagram size known to get through (<see cref="Plpmtu"/>), the probes that search for a larger one,
/// and black hole detection that falls back to <see cref="BasePlpmtu"/> when large packets stop arriving.
/// </summary>
/// <remarks>
/// <para>
/// Search: the first probe tries the largest size allowed (the path's budget and the peer's max_udp_payload_size);
/// most paths carry it and the search ends after one round trip. A size is given up after <see cref="MaxProbes"/> lost
/// probes, and the search continues by bisection between the largest acknowledged and the smallest failed size,
/// until they are less than <see cref="SearchGranularity"/> bytes apart. A search that ended below the maximum is
/// repeated after the raise interval (PMTU_RAISE_TIMER, 10 minutes by default). Probes are PING plus PADDING packets
/// of the probed size; their loss is not a congestion signal.
/// </para>
/// <para>
/// Black holes: when at least <see cref="BlackHoleLossThreshold"/> packets larger than <see cref="BasePlpmtu"/> were
/// lost with no large packet acknowledged since, and a small ack-eliciting packet got through meanwhile (probe
/// timeout probes are sent at the base size for this), the path is suspected; it is confirmed when large packets
/// sent after that point are lost too (a path that was simply down for a while delivers them). Then
/// <see cref="Plpmtu"/> drops to the base size and a new search starts below the size that failed.
/// </para>
/// <para>Sans-IO: the connection asks <see cref="TryGetProbeSize"/> when it may send, reports the probe with
/// <see cref="OnProbeSent"/>, and feeds every acknowledged and lost 1-RTT packet back.</para>
/// </remarks>
public sealed class PathMtuDiscovery
{
    /// <summary>BASE_PLPMTU: QUIC's minimum datagram size, always assumed to get through.</summary>
    public const int BasePlpmtu = 1200;

    /// <summary>MAX_PROBES: lost probes of one size before the size is given up.</summary>
    public const int MaxProbes = 3;

    /// <summary>The search stops when the candidate interval is narrower than this.</summary>
    public const int SearchGranularity = 16;

    /// <summary>Large packets lost without a large acknowledgment before a black hole is suspected.</summary>
    public const int BlackHoleLossThreshold = 4;

    /// <summary>Large packets sent after the suspicion that must be lost to confirm it.</summary>
    private const int BlackHoleConfirmations = 2;

    private readonly TimeSpan _raiseInterval;
    private int _maxPlpmtu;
    private int _searchLow;
    private int _searchHigh;
    private int _probeSize;
    private bool _probeInFlight;
    private ulong _probePacketNumber;
    private int _failedProbes;
    private Instant _nextSearch = Instant.Never;

    private int _largeLost;
    private bool _suspected;
    private Instant _suspectedAt;
    private int _lostAfterSuspicion;

    public PathMtuDiscovery(TimeSpan raiseInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(raiseInterval, TimeSpan.Zero);
        _raiseInterval = raiseInterval;
        Plpmtu = BasePlpmtu;
        _maxPlpmtu = BasePlpmtu;
    }

    /// <summary>The packetization layer PMTU: datagrams up to this size are sent.</summary>
    public int Plpmtu { get; private set; }

    /// <summary>The largest size the search may reach (path budget and peer limit).</summary>
    public int MaxPlpmtu => _maxPlpmtu;

    /// <summary>True while probes are being sent.</summary>
    public bool IsSearching { get; private set; }

    /// <summary>When the next search starts after one ended below the maximum (or <see cref="Instant.Never"/>).</summary>
    public Instant NextSearch => _nextSearch;

    /// <summary>Black holes detected so far.</summary>
    public int BlackHolesDetected { get; private set; }

    /// <summary>Probes sent so far.</summary>
    public int ProbesSent { get; private set; }

    /// <summary>Starts discovery up to <paramref name="maxPlpmtu"/> (the handshake is confirmed, the peer's limit known).</summary>
    public void Start(Instant now, int maxPlpmtu)
    {
        _maxPlpmtu = Math.Max(BasePlpmtu, maxPlpmtu);
        StartSearch(now, Plpmtu, _maxPlpmtu);
    }

    /// <summary>
    /// The connection moved to another network path (RFC 9000 section 14.2.1: the PMTU of a new path is not known):
    /// back to the base size, and a new search up to the same maximum. Discovery that never started stays idle.
    /// </summary>
    public void Restart(Instant now)
    {
        Plpmtu = BasePlpmtu;
        _largeLost = 0;
        ClearBlackHoleSuspicion();
        StartSearch(now, BasePlpmtu, _maxPlpmtu);
    }

    /// <summary>
    /// Whether a probe should go out now, and its size. Only one probe is in flight at a time. Also starts a search
    /// whose raise timer expired.
    /// </summary>
    public bool TryGetProbeSize(Instant now, out int size)
    {
        size = 0;
        if (!IsSearching && !_nextSearch.IsNever && now >= _nextSearch) StartSearch(now, Plpmtu, _maxPlpmtu);
        if (!IsSearching || _probeInFlight) return false;
        size = _probeSize;
        return true;
    }

    /// <summary>The probe of <see cref="TryGetProbeSize"/> left as 1-RTT packet <paramref name="packetNumber"/>.</summary>
    public void OnProbeSent(ulong packetNumber)
    {
        _probeInFlight = true;
        _probePacketNumber = packetNumber;
        ProbesSent++;
    }

    /// <summary>A 1-RTT packet was acknowledged. Returns true when <see cref="Plpmtu"/> changed.</summary>
    public bool OnPacketAcked(in SentPacket packet, Instant now)
    {
        if (packet.IsPathMtuProbe)
        {
            if (!_probeInFlight || packet.PacketNumber != _probePacketNumber) return false;
            _probeInFlight = false;
            int previous = Plpmtu;
            if (packet.Bytes > Plpmtu) Plpmtu = Math.Min(ProbeSizeOf(packet), _maxPlpmtu);
            _searchLow = Math.Max(_searchLow, Plpmtu);
            _failedProbes = 0;
            NextProbe(now);
            ClearBlackHoleSuspicion();
            return Plpmtu != previous;
        }

        if (!packet.IsAckEliciting) return false;
        if (packet.Bytes > BasePlpmtu)
        {
            // A large packet got through: whatever was lost before was not a black hole.
            ClearBlackHoleSuspicion();
        }
        else if (_largeLost >= BlackHoleLossThreshold && !_suspected && Plpmtu > BasePlpmtu)
        {
            // Small packets arrive while large ones vanish: suspicious. Confirm with large packets sent from now on.
            _suspected = true;
            _suspectedAt = now;
            _lostAfterSuspicion = 0;
        }

        return false;
    }

    /// <summary>A 1-RTT packet was declared lost. Returns true when <see cref="Plpmtu"/> changed (a black hole).</summary>
    public bool OnPacketLost(in SentPacket packet, Instant now)
    {
        if (packet.IsPathMtuProbe)
        {
            if (!_probeInFlight || packet.PacketNumber != _probePacketNumber) return false;
            _probeInFlight = false;
            if (++_failedProbes >= MaxProbes)
            {
                // This size does not get through: search below it.
                _searchHigh = ProbeSizeOf(packet) - 1;
                _failedProbes = 0;
                NextProbe(now);
            }

            return false;
        }

        if (packet.Bytes <= BasePlpmtu || Plpmtu <= BasePlpmtu) return false;
        _largeLost++;
        if (!_suspected || packet.TimeSent < _suspectedAt) return false;
        if (++_lostAfterSuspicion < BlackHoleConfirmations) return false;

        // RFC 8899 section 4.3: the path no longer carries the current PLPMTU. Back to the base, search again below.
        BlackHolesDetected++;
        int failed = Plpmtu;
        Plpmtu = BasePlpmtu;
        ClearBlackHoleSuspicion();
        StartSearch(now, BasePlpmtu, failed - 1);
        return true;
    }

    /// <summary>The path's datagram budget shrank (or the peer's limit is known): <see cref="Plpmtu"/> never exceeds it. Returns true when it changed.</summary>
    public bool OnMaxPlpmtuChanged(Instant now, int maxPlpmtu)
    {
        _maxPlpmtu = Math.Max(BasePlpmtu, maxPlpmtu);
        if (Plpmtu <= _maxPlpmtu) return false;
        Plpmtu = _maxPlpmtu;
        StartSearch(now, Plpmtu, _maxPlpmtu);
        return true;
    }

    /// <summary>The probed size is the whole datagram; <see cref="SentPacket.Bytes"/> is the QUIC packet, which fills it.</summary>
    private static int ProbeSizeOf(in SentPacket packet) => packet.Bytes;

    private void StartSearch(Instant now, int low, int high)
    {
        _searchLow = low;
        _searchHigh = Math.Min(high, _maxPlpmtu);
        _failedProbes = 0;
        _probeInFlight = false;
        _nextSearch = Instant.Never;
        IsSearching = true;

        // Optimistic first probe: the largest allowed size.
        _probeSize = _searchHigh;
        if (_searchHigh - _searchLow < 1) FinishSearch(now);
    }

    private void NextProbe(Instant now)
    {
        if (_searchHigh - _searchLow < SearchGranularity)
        {
            FinishSearch(now);
            return;
        }

        // Retry the same size until MaxProbes losses; after a success or a given-up size, bisect.
        _probeSize = _failedProbes > 0 ? _probeSize : _searchLow + ((_searchHigh - _searchLow + 1) / 2);
        if (_probeSize <= Plpmtu) FinishSearch(now);
    }

    private void FinishSearch(Instant now)
    {
        IsSearching = false;
        _probeInFlight = false;
        _nextSearch = Plpmtu < _maxPlpmtu ? now + _raiseInterval : Instant.Never;
    }

    private void ClearBlackHoleSuspicion()
    {
        _largeLost = 0;
        _suspected = false;
        _lostAfterSuspicion = 0;
    }
}
