using System.Globalization;
using System.Net;
using System.Text;
using AwgProxy.Interop.Transport;
using AwgProxy.Quic.Connections;
using AwgProxy.Quic.Crypto;
using AwgProxy.Quic.Transport;

namespace AwgProxy.Interop.QuicTransport;

/// <summary>An <see cref="IInteropConnection"/> over a <see cref="QuicConnection"/>.</summary>
internal sealed class QuicInteropConnection(QuicConnection connection) : IInteropConnection
{
    public string NegotiatedAlpn => Encoding.UTF8.GetString(connection.NegotiatedApplicationProtocol.Protocol.Span);

    public CipherSuite? NegotiatedCipherSuite => connection.NegotiatedCipherSuite;

    public InteropKeyExchangeGroup? NegotiatedGroup => (InteropKeyExchangeGroup)(ushort)connection.NegotiatedKeyExchangeGroup;

    public EndPoint? RemoteEndPoint => connection.RemoteEndPoint;

    public string? StatisticsSummary
    {
        get
        {
            ConnectionStats stats = connection.GetStats();
            return string.Create(
                CultureInfo.InvariantCulture,
                $"packets_sent={stats.PacketsSent} packets_received={stats.PacketsReceived} packets_lost={stats.PacketsLost} key_updates={stats.KeyUpdates} path_migrations={stats.PathMigrations} srtt_ms={stats.SmoothedRtt.TotalMilliseconds:F2} cwnd={stats.CongestionWindow}");
        }
    }

    public async ValueTask<InteropStream> OpenBidirectionalStreamAsync(CancellationToken cancellationToken = default) =>
        new QuicInteropStream(await connection.OpenOutboundStreamAsync(QuicStreamType.Bidirectional, cancellationToken).ConfigureAwait(false));

    public async ValueTask<InteropStream> OpenUnidirectionalStreamAsync(CancellationToken cancellationToken = default) =>
        new QuicInteropStream(await connection.OpenOutboundStreamAsync(QuicStreamType.Unidirectional, cancellationToken).ConfigureAwait(false));

    /// <summary>The next peer stream; a <see cref="QuicException"/> (an <see cref="IOException"/>) once the connection has ended.</summary>
    public async ValueTask<InteropStream> AcceptStreamAsync(CancellationToken cancellationToken = default) =>
        new QuicInteropStream(await connection.AcceptInboundStreamAsync(cancellationToken).ConfigureAwait(false));

    public ValueTask CloseAsync(long errorCode, CancellationToken cancellationToken = default) => connection.CloseAsync(errorCode, cancellationToken);

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
