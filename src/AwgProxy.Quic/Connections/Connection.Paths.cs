using System.Buffers.Binary;
using System.Net;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// The paths facet (RFC 9000 sections 8.2 and 9): answering PATH_CHALLENGE on the path it came from, and
/// following a peer whose address changed (NAT rebinding) after validating the new address. Active migration by
/// this endpoint, preferred addresses and PMTU discovery are not implemented.
/// </summary>
public sealed partial class Connection
{
    private PathState _path;
    private PathState? _probePath;
    private PathState? _previousPath;

    /// <summary>A path for datagrams from an address other than the current peer address (at most one is kept).</summary>
    private PathState GetOrCreateProbePath(SocketAddress remote)
    {
        if (_probePath is { } probe && probe.Matches(remote)) return probe;
        if (_previousPath is { } previous && previous.Matches(remote)) return previous;
        _probePath = new PathState(remote, isValidated: false);
        return _probePath;
    }

    /// <summary>The peer moved (RFC 9000 section 9.3): send there from now on, validating the address first.</summary>
    private void MigrateTo(Instant now, PathState path)
    {
        if (_path.IsValidated) _previousPath = _path;
        _path = path;
        if (_probePath == path) _probePath = null;
        if (!path.IsValidated) StartPathValidation(now, path);
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
            if (_previousPath is { } previous)
            {
                _path = previous;
                _previousPath = null;
            }

            return;
        }

        path.ChallengePending = true;
        path.NextChallengeTime = now + ProbeTimeout;
    }
}
