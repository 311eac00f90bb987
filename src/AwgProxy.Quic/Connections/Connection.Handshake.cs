using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Frames;
using AwgProxy.Quic.Packets;
using AwgProxy.Quic.Tls;

namespace AwgProxy.Quic.Connections;

/// <summary>The TLS handshake facet: driving the TLS session, installing and discarding keys, transport parameters (RFC 9001 section 4).</summary>
public sealed partial class Connection
{
    private ConnectionId? _peerInitialSourceId;
    private int _maxDatagramSize = MinimumMaxDatagramSize;
    private bool _newReadKeys;

    /// <summary>The UDP payload size in use: 1200 until the handshake is confirmed (RFC 9000 section 14.1).</summary>
    private int CurrentMaxDatagramSize => _maxDatagramSize;

    /// <summary>Delivers newly contiguous CRYPTO bytes of <paramref name="space"/> to TLS and acts on what TLS says.</summary>
    private void DeliverCryptoData(Instant now, PacketSpace space)
    {
        while (space.CryptoReceive.ReadableBytes > 0 && !IsClosingOrDraining)
        {
            ReadOnlySpan<byte> data = space.CryptoReceive.GetReadableSpan();
            int length = data.Length;
            bool accepted = _tls.ProvideHandshakeData(space.Level, data);
            space.CryptoReceive.Consume(length);
            ProcessTlsEvents(now);
            if (!accepted) return;
        }
    }

    /// <summary>Drains the TLS session's events in order (tls.md: WriteData, SecretsAvailable, PeerTransportParameters, HandshakeComplete).</summary>
    private void ProcessTlsEvents(Instant now)
    {
        while (!IsClosingOrDraining && _tls.TryPollEvent(out TlsEvent tlsEvent))
        {
            switch (tlsEvent.Kind)
            {
                case TlsEventKind.WriteData:
                    PacketSpace space = SpaceOf(tlsEvent.Level);
                    if (space.IsDiscarded || space.CryptoSend.Write(tlsEvent.Data.Span) != tlsEvent.Data.Length)
                    {
                        CloseWithTransportError(now, TransportErrorCode.INTERNAL_ERROR, (ulong)FrameType.Crypto, "TLS handshake data does not fit the CRYPTO send buffer");
                        return;
                    }

                    break;
                case TlsEventKind.SecretsAvailable:
                    InstallTlsKeys(tlsEvent);
                    break;
                case TlsEventKind.PeerTransportParameters:
                    if (!OnPeerTransportParameters(now, tlsEvent.Data.Span)) return;
                    break;
                case TlsEventKind.HandshakeComplete:
                    OnHandshakeComplete(now);
                    break;
            }
        }

        if (_tls.IsFailed && !IsClosingOrDraining)
        {
            // The alert goes out as CRYPTO_ERROR with an empty reason: a peer that fails authentication learns
            // nothing beyond the code. The local reason keeps the TLS layer's explanation.
            CloseLocally(now, ConnectionErrorKind.Transport, (ulong)_tls.Error!.Value, (ulong)FrameType.Crypto, _tls.FailureReason ?? "TLS handshake failed", []);
        }
    }

    private PacketSpace SpaceOf(EncryptionLevel level) => level switch
    {
        EncryptionLevel.Initial => InitialSpace,
        EncryptionLevel.Handshake => HandshakeSpace,
        _ => ApplicationSpace,
    };

    private void InstallTlsKeys(in TlsEvent tlsEvent)
    {
        Span<byte> secret = MemoryMarshal.AsMemory(tlsEvent.Secret).Span;
        var keys = new DirectionKeys(tlsEvent.CipherSuite, secret);
        CryptographicOperations.ZeroMemory(secret);

        PacketSpace space = SpaceOf(tlsEvent.Level);
        if (tlsEvent.Direction == TlsSecretDirection.Write)
        {
            space.SendKeys?.Dispose();
            space.SendKeys = keys;
            if (tlsEvent.Level == EncryptionLevel.Handshake) _loss.OnHandshakeKeysAvailable();
            if (tlsEvent.Level == EncryptionLevel.OneRtt) _sendPhaseFirstPacket = space.NextPacketNumber;
        }
        else
        {
            space.ReceiveKeys?.Dispose();
            space.ReceiveKeys = keys;
            if (tlsEvent.Level == EncryptionLevel.OneRtt)
            {
                // Derive the next read keys now, so a key update costs no timing signal later (RFC 9001 section 6.3).
                _ = keys.Next;
            }

            _newReadKeys = true;
        }
    }

    /// <summary>Validates and applies the peer's transport parameters (RFC 9000 sections 7.3 and 18.2). False after closing the connection.</summary>
    private bool OnPeerTransportParameters(Instant now, ReadOnlySpan<byte> encoded)
    {
        if (!TransportParameters.TryDecode(encoded, senderIsServer: !_isServer, out TransportParameters? parameters, out string? decodeError))
        {
            return CloseWithTransportError(now, TransportErrorCode.TRANSPORT_PARAMETER_ERROR, (ulong)FrameType.Crypto, decodeError);
        }

        string? error = CheckConnectionIdParameters(parameters);
        if (error is not null) return CloseWithTransportError(now, TransportErrorCode.TRANSPORT_PARAMETER_ERROR, (ulong)FrameType.Crypto, error);

        _peerParameters = parameters;
        _loss.PeerMaxAckDelay = parameters.MaxAckDelay;

        // RFC 9000 section 10.1: the minimum of both values, or the only non-zero one.
        TimeSpan local = _options.IdleTimeout;
        TimeSpan peer = parameters.MaxIdleTimeout;
        _idleTimeout = local == TimeSpan.Zero ? peer : peer == TimeSpan.Zero ? local : (local < peer ? local : peer);
        RestartIdleTimer(now);

        _sendCredit.OnLimitReceived(parameters.InitialMaxData);
        TransportErrorCode limitsError = _streamLimits.OnPeerTransportParameters(parameters.InitialMaxStreamsBidi, parameters.InitialMaxStreamsUni);
        if (limitsError != TransportErrorCode.NO_ERROR) return CloseWithTransportError(now, limitsError, (ulong)FrameType.Crypto, "initial_max_streams out of range");

        _peerMaxDatagramFrameSize = parameters.MaxDatagramFrameSize ?? 0;
        if (!_isServer)
        {
            if (parameters.StatelessResetToken is { } token) _peerIds.SetInitialToken(token);
            SyncPeerResetToken();

            // The preferred address is not used (no active migration), but its connection ID is sequence 1.
            if (parameters.PreferredAddress is { } preferred && !_peerIds.IsZeroLength)
            {
                _peerIds.OnNewConnectionId(new NewConnectionIdFrame(1, 0, preferred.ConnectionId, preferred.StatelessResetToken));
            }
        }

        return true;
    }

    /// <summary>RFC 9000 section 7.3: the connection IDs of the handshake, authenticated through the transport parameters.</summary>
    private string? CheckConnectionIdParameters(TransportParameters parameters)
    {
        if (parameters.InitialSourceConnectionId is not { } initialSource) return "initial_source_connection_id is missing";
        if (_peerInitialSourceId is not { } expectedSource || initialSource != expectedSource)
        {
            return "initial_source_connection_id does not match the Source Connection ID of the peer's Initial packets";
        }

        if (_isServer) return null;
        if (parameters.OriginalDestinationConnectionId is not { } original) return "original_destination_connection_id is missing";
        if (original != _originalDestinationId) return "original_destination_connection_id does not match our first Destination Connection ID";
        if (_retryReceived)
        {
            if (parameters.RetrySourceConnectionId is not { } retrySource) return "retry_source_connection_id is missing after a Retry";
            if (retrySource != _retrySourceId) return "retry_source_connection_id does not match the Retry packet";
        }
        else if (parameters.RetrySourceConnectionId is not null)
        {
            return "retry_source_connection_id present without a Retry";
        }

        return null;
    }

    private void OnHandshakeComplete(Instant now)
    {
        if (_handshakeComplete) return;
        _handshakeComplete = true;
        _handshakeDuration = now - _createdAt;
        if (_state == ConnectionState.Handshaking) _state = ConnectionState.Connected;
        Emit(ConnectionEvent.Simple(ConnectionEventKind.Connected));

        // A server's handshake is confirmed when it completes (RFC 9001 section 4.1.2); it tells the client.
        if (_isServer)
        {
            _handshakeDonePending = true;
            ConfirmHandshake(now);
        }
    }

    /// <summary>RFC 9001 section 4.1.2 / 4.9.2: handshake confirmed, Handshake keys discarded, the full datagram size allowed.</summary>
    private void ConfirmHandshake(Instant now)
    {
        if (_handshakeConfirmed) return;
        _handshakeConfirmed = true;
        _loss.OnHandshakeConfirmed(now);
        DiscardSpace(now, PacketNumberSpace.Initial);
        DiscardSpace(now, PacketNumberSpace.Handshake);

        int size = _options.MaxDatagramSize;
        if (_peerParameters is { } peer && peer.MaxUdpPayloadSize < (ulong)size) size = (int)peer.MaxUdpPayloadSize;
        if (size != _maxDatagramSize)
        {
            _maxDatagramSize = size;
            _loss.CongestionController.OnMaxDatagramSizeChanged(size);
            _pacer.OnMaxDatagramSizeChanged(size);
        }

        IssueConnectionIds();
        Emit(ConnectionEvent.Simple(ConnectionEventKind.HandshakeConfirmed));
    }

    /// <summary>Keeps the peer supplied with as many of our connection IDs as it accepts (RFC 9000 section 5.1.1).</summary>
    private void IssueConnectionIds()
    {
        // An endpoint using zero-length connection IDs cannot issue more (RFC 9000 section 5.1.1).
        if (_host is null || _peerParameters is null || IsClosingOrDraining || _localCidLength == 0) return;
        int target = (int)Math.Min(_peerParameters.ActiveConnectionIdLimit, (ulong)LocalConnectionIdSet.MaxIssued);
        while (_localIds.ActiveCount < target)
        {
            ConnectionId id = _host.IssueConnectionId(this);
            _localIds.Issue(id, _host.GetStatelessResetToken(id));
        }
    }

    /// <summary>Discards the keys and state of a packet number space (RFC 9001 section 4.9).</summary>
    private void DiscardSpace(Instant now, PacketNumberSpace space)
    {
        PacketSpace packetSpace = _spaces[(int)space];
        if (packetSpace.IsDiscarded) return;
        var callbacks = new LossCallbacks(this);
        _loss.DiscardSpace(space, now, ref callbacks);
        packetSpace.Discard();
        for (int i = _pendingPackets.Count - 1; i >= 0; i--)
        {
            if (_pendingPackets[i].Level.ToPacketNumberSpace() != space) continue;
            _pendingPackets[i].Release();
            _pendingPackets.RemoveAt(i);
        }
    }
}
