using System.Numerics;
using System.Text;
using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;

namespace AwgProxy.Quic.Connections;

/// <summary>The termination facet: immediate close, the closing and draining states, idle timeout (RFC 9000 section 10).</summary>
public sealed partial class Connection
{
    /// <summary>Reason phrases we send are cut to this many bytes.</summary>
    private const int MaxReasonLength = 256;

    private bool _closeIsApplication;
    private ulong _closeCode;
    private ulong _closeFrameType;
    private byte[] _closeReason = [];
    private bool _closePending;
    private long _datagramsWhileClosing;

    /// <summary>
    /// Closes the connection immediately (RFC 9000 section 10.2): a CONNECTION_CLOSE frame goes out with the next
    /// <see cref="TryPollTransmit"/>, the connection enters the closing state and, three PTOs later, raises
    /// <see cref="ConnectionEventKind.Drained"/>. Before the handshake is confirmed an application close is sent as a
    /// transport APPLICATION_ERROR without reason in Initial and Handshake packets (section 10.2.3). Does nothing
    /// when the connection is already closing, draining or closed.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="errorCode">The application error code, or a transport error code when <paramref name="isApplication"/> is false.</param>
    /// <param name="reason">A reason phrase (UTF-8), cut to 256 bytes.</param>
    /// <param name="isApplication">True for CONNECTION_CLOSE type 0x1d (application), false for 0x1c (transport).</param>
    public void Close(Instant now, ulong errorCode, ReadOnlySpan<byte> reason, bool isApplication = true)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errorCode, VarInt.MaxValue);
        if (IsClosingOrDraining) return;
        ReadOnlySpan<byte> wire = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
        CloseLocally(now, isApplication ? ConnectionErrorKind.Application : ConnectionErrorKind.Transport, errorCode, 0, Encoding.UTF8.GetString(wire), wire);
        UpdateTimers(now);
    }

    /// <summary>Enters the closing state with a CONNECTION_CLOSE to send.</summary>
    private void CloseLocally(Instant now, ConnectionErrorKind kind, ulong code, ulong frameType, string localReason, ReadOnlySpan<byte> wireReason)
    {
        if (IsClosingOrDraining) return;
        _error = new ConnectionError(kind, code, frameType, localReason, isLocal: true);
        _closeIsApplication = kind == ConnectionErrorKind.Application;
        _closeCode = code;
        _closeFrameType = frameType;
        _closeReason = wireReason.Length > MaxReasonLength ? wireReason[..MaxReasonLength].ToArray() : wireReason.ToArray();
        Emit(ConnectionEvent.Closed(_error));
        EnterClosingPeriod(now, ConnectionState.Closing);
        _closePending = true;
    }

    /// <summary>Closes with a transport error found locally (protocol violation and the like). Always returns false.</summary>
    private bool CloseWithTransportError(Instant now, TransportErrorCode code, ulong frameType, string reason)
    {
        CloseLocally(now, ConnectionErrorKind.Transport, (ulong)code, frameType, reason, Encoding.UTF8.GetBytes(reason));
        return false;
    }

    private void CloseWithFrameError(Instant now, FrameError error) => CloseWithTransportError(now, error.Code, error.FrameType, error.Reason);

    /// <summary>The peer closed (CONNECTION_CLOSE) or reset the connection: stop sending, drain for three PTOs.</summary>
    private void EnterDraining(Instant now, ConnectionError error)
    {
        switch (_state)
        {
            case ConnectionState.Draining or ConnectionState.Closed:
                return;
            case ConnectionState.Closing:
                // Keep the end of the closing period (RFC 9000 section 10.2.2), just stop sending.
                _state = ConnectionState.Draining;
                _closePending = false;
                return;
        }

        _error = error;
        Emit(ConnectionEvent.Closed(error));
        EnterClosingPeriod(now, ConnectionState.Draining);
    }

    private void EnterClosingPeriod(Instant now, ConnectionState state)
    {
        _state = state;
        _timers.ClearAll();
        _timers[TimerKind.Close] = now + (3 * ProbeTimeout);
        _sendQueue.Clear();
        _controlQueue.Clear();
        _creditWait.Clear();
        _datagramSendQueue.Clear();
        foreach (PendingPacket pending in _pendingPackets) pending.Release();
        _pendingPackets.Clear();
    }

    /// <summary>Ends the connection without a closing period (idle timeout, Version Negotiation).</summary>
    private void Terminate(ConnectionError error)
    {
        if (_state == ConnectionState.Closed) return;
        if (_error is null)
        {
            _error = error;
            Emit(ConnectionEvent.Closed(error));
        }

        FinishDrain();
    }

    private void FinishDrain()
    {
        _state = ConnectionState.Closed;
        _timers.ClearAll();
        _closePending = false;
        Emit(ConnectionEvent.Simple(ConnectionEventKind.Drained));
        _host?.OnDrained(this);
        ReleaseResources();
    }

    /// <summary>In the closing state, answers incoming datagrams with CONNECTION_CLOSE at a decreasing rate: after 1, 2, 4, 8... datagrams.</summary>
    private void OnDatagramWhileClosing()
    {
        _datagramsWhileClosing++;
        if (BitOperations.IsPow2(_datagramsWhileClosing)) _closePending = true;
    }

    private void RestartIdleTimer(Instant now)
    {
        if (IsClosingOrDraining) return;
        if (_idleTimeout <= TimeSpan.Zero)
        {
            _timers.Clear(TimerKind.Idle);
            return;
        }

        // RFC 9000 section 10.1: at least three PTOs, so that probes can be lost before the connection is given up.
        TimeSpan floor = 3 * ProbeTimeout;
        _timers[TimerKind.Idle] = now + (_idleTimeout > floor ? _idleTimeout : floor);
    }

    private void ReleaseResources()
    {
        foreach (PacketSpace space in _spaces) space.Dispose();
        foreach (StreamEntry entry in _streams.Values)
        {
            entry.IsRemoved = true;
            entry.State.Dispose();
        }

        _streams.Clear();
        _sendQueue.Clear();
        _controlQueue.Clear();
        _creditWait.Clear();
        foreach (PendingPacket pending in _pendingPackets) pending.Release();
        _pendingPackets.Clear();
        _datagramSendQueue.Clear();
        _datagramReceiveQueue.Clear();
        _tls.Dispose();
    }
}
