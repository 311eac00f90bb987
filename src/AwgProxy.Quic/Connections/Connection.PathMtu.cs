using AwgProxy.Quic.Coding;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Connections;

/// <summary>
/// The path MTU facet (RFC 9000 section 14, RFC 8899): after the handshake is confirmed, datagrams are
/// <see cref="PathMtuDiscovery.Plpmtu"/> bytes, PING+PADDING probes search for more up to the path's budget
/// (<see cref="ConnectionOptions.MaxDatagramSize"/>) and the peer's max_udp_payload_size, and black holes bring the
/// size back to 1200. The congestion controller and the pacer follow the size.
/// </summary>
public sealed partial class Connection
{
    private readonly PathMtuDiscovery _pmtud;
    private bool _pathMtuChanged;

    /// <summary>The congestion controller (tests and diagnostics).</summary>
    internal Congestion.ICongestionController CongestionControllerForTests => _loss.CongestionController;

    /// <summary>Path MTU discovery (tests and diagnostics).</summary>
    internal PathMtuDiscovery PathMtu => _pmtud;

    /// <summary>Applies a size change found while loss detection ran (deferred: the controller must not change under it).</summary>
    private void ApplyPathMtuChange()
    {
        if (!_pathMtuChanged) return;
        _pathMtuChanged = false;
        SetMaxDatagramSize(_pmtud.Plpmtu);
    }

    private void SetMaxDatagramSize(int size)
    {
        if (size == _maxDatagramSize) return;
        _maxDatagramSize = size;
        _loss.CongestionController.OnMaxDatagramSizeChanged(size);
        _pacer.OnMaxDatagramSizeChanged(size);
    }

    /// <summary>Sends the probe DPLPMTUD asks for, when the window and the pacer allow a packet of its size.</summary>
    private bool TryBuildPathMtuProbe(Instant now, Span<byte> buffer, out Transmit transmit)
    {
        transmit = default;
        if (!_handshakeConfirmed || !_options.EnablePathMtuDiscovery || _state != ConnectionState.Connected) return false;
        if (!_pmtud.TryGetProbeSize(now, out int size) || size > buffer.Length || size <= _maxDatagramSize) return false;
        PacketSpace space = ApplicationSpace;
        if (!space.CanSend || !_loss.CanSend(size)) return false;
        if (_pacer.NextSendTime(now, size, _loss.CongestionController.GetPacingRate(_loss.Rtt)) > now) return false;

        if (!BeginPacket(buffer[..size], 0, space, out OpenPacket open, out int payloadStart)) return false;
        open.Token = _sentLog.BeginPacket();
        _sentLog.EndPacket();
        var writer = new SpanWriter(buffer[payloadStart..(size - AeadTagLength)]);
        writer.WriteByte((byte)FrameType.Ping);
        open.AckEliciting = true;
        open.IsPathMtuProbe = true;
        open.PayloadEnd = payloadStart + writer.Position;
        var context = new SendContext { Ecn = _loss.Ecn.CodepointToSend };
        ulong packetNumber = open.PacketNumber;
        int end = SealPacket(now, buffer, ref open, size, ref context);
        _pmtud.OnProbeSent(packetNumber);
        return FinishDatagram(now, _path, end, ref context, out transmit);
    }
}
