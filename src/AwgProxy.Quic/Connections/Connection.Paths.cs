using System.Buffers.Binary;
using System.Net;
using AwgProxy.Quic.Congestion;
using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// The paths facet (RFC 9000 sections 8.2 and 9): answering PATH_CHALLENGE on the path it came from; following a peer
/// whose address changed (NAT rebinding, client migration) after validating the new address, with a fresh peer
/// connection ID and, when the IP address changed, fresh congestion state, and going back to the old path when the
/// validation fails; and active migration of a client to a new local address (<see cref="MigrateLocalAddress"/>).
/// Preferred addresses are not used.
/// </summary>
public sealed partial class Connection
{
    private PathState _path;
    private PathState? _probePath;
    private PathState? _previousPath;
    private int _pathValidationFailures;
    private int _peerConnectionIdRotations;

    /// <summary>
    /// Client: the local address this connection sends from changed (the driver moved it to a new socket or interface),
    /// so the connection migrates there (active migration, RFC 9000 section 9.2). The next datagrams go out with a
    /// connection ID not used before (section 9.5), a PATH_CHALLENGE that validates the new path (padded to 1200
    /// bytes, section 8.2.1) and a PING that makes the server follow at once. Unless only the port changed, the
    /// congestion controller and the RTT estimate start again from their initial values (section 9.4). Refused
    /// (nothing changes) before the handshake is confirmed, when the peer sent disable_active_migration, and when the
    /// peer has given no unused connection ID. Afterwards poll transmits and re-read <see cref="NextTimeout"/>.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="onlyPortChanged">True when the new local address has the same IP address as the old one.</param>
    public MigrationStatus MigrateLocalAddress(Instant now, bool onlyPortChanged)
    {
        ThrowIfDisposed();
        if (_isServer) throw new InvalidOperationException("Only a client migrates to a new local address; a server follows its client.");
        if (_state != ConnectionState.Connected) return MigrationStatus.NotConnected;
        if (!_handshakeConfirmed) return MigrationStatus.HandshakeNotConfirmed;
        if (_peerParameters?.DisableActiveMigration == true) return MigrationStatus.DisabledByPeer;
        if (!_peerIds.IsZeroLength)
        {
            if (!_peerIds.TryRotate()) return MigrationStatus.NoConnectionIdAvailable;
            _peerConnectionIdRotations++;
            SyncPeerResetToken();
        }

        // The server's address stays the one validated in the handshake; what is new is our side of the path.
        var path = new PathState(_path.Remote, isValidated: true);
        _path = path;
        _previousPath = null;
        _probePath = null;
        if (!onlyPortChanged) ResetCongestionState(now, saveInto: null);
        StartPathValidation(now, path);
        _pingPending = true;
        UpdateTimers(now);
        return MigrationStatus.Started;
    }

    /// <summary>A path for datagrams from an address other than the current peer address (at most one is kept).</summary>
    private PathState GetOrCreateProbePath(SocketAddress remote)
    {
        if (_probePath is { } probe && probe.Matches(remote)) return probe;
        if (_previousPath is { } previous && previous.Matches(remote)) return previous;
        _probePath = new PathState(remote, isValidated: false);
        return _probePath;
    }

    /// <summary>
    /// The peer moved (RFC 9000 section 9.3): send there from now on, validating the address first (section 9.3.1),
    /// with a fresh connection ID (section 9.5) and, unless only the port changed, fresh congestion state (section 9.4).
    /// </summary>
    private void MigrateTo(Instant now, PathState path)
    {
        PathState from = _path;
        from.IsValidating = false;
        from.ChallengePending = false;
        if (path == _previousPath)
        {
            // Back to the last validated path (the peer returned, or the move was spurious): its state comes back too.
            _previousPath = null;
            _path = path;
            RestoreCongestionState(now, path, ipChanged: !PathState.HaveSameIpAddress(from.Remote, path.Remote));
            RotatePeerConnectionId();
            return;
        }

        if (from.IsValidated) _previousPath = from;
        _path = path;
        if (_probePath == path) _probePath = null;
        if (!PathState.HaveSameIpAddress(from.Remote, path.Remote)) ResetCongestionState(now, saveInto: from);
        RotatePeerConnectionId();
        if (!path.IsValidated) StartPathValidation(now, path);
    }

    /// <summary>Sends to the peer's new address with a connection ID not used before, when the peer gave one (RFC 9000 section 9.5).</summary>
    private void RotatePeerConnectionId()
    {
        if (_peerIds.IsZeroLength || !_peerIds.TryRotate()) return;
        _peerConnectionIdRotations++;
        SyncPeerResetToken();
    }

    /// <summary>
    /// RFC 9000 section 9.4: a new path starts from the initial congestion window and RTT; its MTU and ECN support are
    /// unknown too (<see cref="RestartPathChecks"/>).
    /// </summary>
    private void ResetCongestionState(Instant now, PathState? saveInto)
    {
        if (saveInto is not null && saveInto.IsValidated)
        {
            saveInto.SavedCongestionController = _loss.CongestionController;
            saveInto.SavedRtt = _loss.Rtt;
        }

        RestartPathChecks(now);
        ICongestionController controller = _congestionFactory.Create(now, CurrentMaxDatagramSize);
        _loss.ReplacePathState(controller, new RttEstimator(_options.InitialRtt));
    }

    /// <summary>
    /// Another network path: DPLPMTUD starts again from 1200 bytes (RFC 9000 section 14.2.1) and ECN is validated
    /// afresh (section 13.4.2). Discovery disabled by the options keeps the configured size.
    /// </summary>
    private void RestartPathChecks(Instant now)
    {
        _loss.Ecn.Restart();
        if (!_handshakeConfirmed || !_options.EnablePathMtuDiscovery) return;
        _pmtud.Restart(now);
        SetMaxDatagramSize(_pmtud.Plpmtu);
    }

    private void RestoreCongestionState(Instant now, PathState path, bool ipChanged)
    {
        if (ipChanged) RestartPathChecks(now);
        if (path.SavedCongestionController is not { } controller || path.SavedRtt is not { } rtt) return;
        path.SavedCongestionController = null;
        path.SavedRtt = null;
        if (controller.MaxDatagramSize != CurrentMaxDatagramSize) controller.OnMaxDatagramSizeChanged(CurrentMaxDatagramSize);
        _loss.ReplacePathState(controller, rtt);
    }

    private void StartPathValidation(Instant now, PathState path)
    {
        Span<byte> data = stackalloc byte[sizeof(ulong)];
        _random(data);
        path.ChallengeData = BinaryPrimitives.ReadUInt64BigEndian(data);
        path.IsValidating = true;
        path.ChallengePending = true;
        path.NextChallengeTime = now + ProbeTimeout;

        // RFC 9000 section 8.2.4: three times the larger of the current PTO and the PTO of a new path.
        TimeSpan newPathPto = (3 * _options.InitialRtt) + _loss.PeerMaxAckDelay;
        TimeSpan pto = ProbeTimeout > newPathPto ? ProbeTimeout : newPathPto;
        path.ValidationDeadline = now + (3 * pto);
    }

    private void OnPathResponse(Instant now, ulong data)
    {
        PathState path = _path;
        if (!path.IsValidating || path.ChallengeData != data) return;
        path.IsValidating = false;
        path.IsValidated = true;
        path.ChallengePending = false;
        path.ValidationDeadline = Instant.Never;
        path.NextChallengeTime = Instant.Never;
        _previousPath = null;
        _pathMigrations++;
        UpdateAmplificationLimit(now);
    }

    private void OnPathValidationTimer(Instant now)
    {
        PathState path = _path;
        if (!path.IsValidating) return;
        if (now >= path.ValidationDeadline)
        {
            // Abandoned (RFC 9000 section 8.2.4): go back to the last validated address if there is one.
            path.IsValidating = false;
            path.ChallengePending = false;
            _pathValidationFailures++;
            if (_previousPath is { } previous)
            {
                bool ipChanged = !PathState.HaveSameIpAddress(_path.Remote, previous.Remote);
                _path = previous;
                _previousPath = null;
                RestoreCongestionState(now, previous, ipChanged);

                // The connection ID used towards the failed address is not used towards this one too (section 9.5).
                RotatePeerConnectionId();
                UpdateAmplificationLimit(now);
            }

            return;
        }

        path.ChallengePending = true;
        path.NextChallengeTime = now + ProbeTimeout;
    }
}
