using System.Buffers.Binary;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using AwgProxy.AmneziaWG;
using AwgProxy.AmneziaWG.Device;
using AwgProxy.Quic.Transport.Paths;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AwgProxy.Obfuscation;

/// <summary>
/// The AWG envelope: a decorator over the datagram path under QUIC that implements
/// ../shared/design/envelope.md. Every datagram on the wire is
/// <code>
/// AWG Datagram {
///   Padding (S_k * 8),          random bytes
///   Header (32),                little-endian, drawn uniformly from H_k
///   QUIC Datagram (..),         one datagram as QUIC built it
/// }
/// </code>
/// with class k chosen by the role and the first QUIC packet (<see cref="AwgDatagramClassifier"/>).
/// Before every datagram flagged <see cref="DatagramFlags.ClientHello"/> a client also sends I1..I5
/// (those set) and Jc junk datagrams to the same destination, exactly as amneziawg-go's
/// SendHandshakeInitiation does before an initiation. Received datagrams that match no class the
/// peer sends are dropped here, counted and never reach QUIC, so nothing ever answers them.
/// </summary>
/// <remarks>
/// <para>
/// Randomness is drawn in upstream's order and amounts: for each datagram the header value first (as
/// upstream's CreateMessage* does), then, for a ClientHello datagram, the I-packets and the junk
/// (size, content, size, content, ...), then the S_k padding. A client's ClientHello burst is
/// therefore byte for byte what <see cref="Send.SendHandshakeInitiation"/> returns for the message
/// <c>[header][QUIC datagram]</c> from the same random stream.
/// </para>
/// <para>
/// The <c>&lt;c&gt;</c> tag of an I-packet is the number of datagrams this envelope put on the wire
/// before it (QUIC datagrams, I-packets and junk alike), wrapping at 2^32.
/// </para>
/// <para>
/// Threading follows <see cref="IDatagramPath"/>: one sender and one receiver at a time, which may run
/// concurrently; send-side and receive-side state are disjoint. Sizes: QUIC may send
/// <see cref="MaxDatagramSize"/> = inner wire limit − the largest S_k + 4 of the classes this role sends;
/// receive batches should hold <see cref="WireMaxDatagramSize"/> bytes per slot. Nothing allocates per
/// datagram: sends are copied into a preallocated batch, receives are unwrapped in place.
/// The envelope owns the inner path and disposes it.
/// </para>
/// </remarks>
public sealed class AwgEnvelopePath : IDatagramPath, IDatagramPathCapabilities, IBlockingDatagramReceiver
{
    /// <summary>Slots of the envelope's own send batch: datagrams go to the inner path in chunks of this many.</summary>
    public const int SendChunkSize = 64;

    /// <summary>At most one drop message per reason per this interval; the next one reports how many were suppressed.</summary>
    public static readonly TimeSpan DropLogInterval = TimeSpan.FromSeconds(1);

    private const int ClassCount = 4;
    private const int ReasonCount = 3;

    private readonly IDatagramPath _inner;
    private readonly AwgEnvelopeRole _role;
    private readonly AwgProfile _profile;
    private readonly IRandomSource _random;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AwgEnvelopeMetrics _metrics;

    // Send side (one sender at a time).
    private readonly DatagramBatch _out;
    private readonly ObfChain[] _ipackets;
    private readonly int[] _ipacketLengths;
    private readonly int _junkCount;
    private readonly MagicHeader? _junkSizes;
    private readonly long[] _sentByClass = new long[ClassCount];
    private readonly long[] _sentBatch = new long[ClassCount];
    private uint _counter;
    private long _datagramsSent;
    private long _ipacketsSent;
    private long _junkSent;

    // Receive side (one receiver at a time).
    private readonly long[] _receivedByClass = new long[ClassCount];
    private readonly long[] _droppedByReason = new long[ReasonCount];
    private readonly long[] _dropBatch = new long[ReasonCount];
    private readonly long[] _receivedBatch = new long[ClassCount];
    private readonly bool[] _dropLogged = new bool[ReasonCount];
    private readonly long[] _lastDropLog = new long[ReasonCount];
    private readonly long[] _suppressedDrops = new long[ReasonCount];
    private long _datagramsReceived;
    private int _disposed;

    /// <summary>Wraps <paramref name="inner"/> in the AWG envelope.</summary>
    /// <param name="inner">The wire path (UDP, or in-memory in tests); its MaxDatagramSize is the wire limit.</param>
    /// <param name="role">Client or server: which classes are sent and accepted, and whether junk is sent.</param>
    /// <param name="profile">The compiled AWG settings.</param>
    /// <param name="random">Source of every random byte (production: <see cref="SystemRandomSource.Instance"/>).</param>
    /// <param name="timeProvider">Clock of the <c>&lt;t&gt;</c> tag and of drop-log rate limiting.</param>
    /// <param name="loggerFactory">Logs (category <c>AwgProxy.Obfuscation.AwgEnvelopePath</c>); none when null.</param>
    /// <param name="meterFactory">Meter factory for <see cref="AwgEnvelopeMetrics"/>; a process-wide meter when null.</param>
    /// <exception cref="ArgumentException">
    /// The wire limit leaves QUIC less than 1200 bytes under this role's largest S_k + 4, or (client) a junk
    /// datagram or I-packet could exceed the wire limit.
    /// </exception>
    public AwgEnvelopePath(
        IDatagramPath inner,
        AwgEnvelopeRole role,
        AwgProfile profile,
        IRandomSource random,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (role is not (AwgEnvelopeRole.Client or AwgEnvelopeRole.Server))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Not an envelope role.");
        }

        _inner = inner;
        _role = role;
        _profile = profile;
        _random = random;
        _time = timeProvider;
        _logger = loggerFactory?.CreateLogger<AwgEnvelopePath>() ?? NullLogger<AwgEnvelopePath>.Instance;
        _metrics = AwgEnvelopeMetrics.For(meterFactory);

        WireMaxDatagramSize = inner.MaxDatagramSize;
        MaxDatagramSize = ComputeMaxDatagramSize(role, profile, WireMaxDatagramSize);

        var ipackets = profile.IPackets.Where(p => p is not null).Select(p => p!).ToArray();
        if (role == AwgEnvelopeRole.Client)
        {
            _ipackets = ipackets;
            _ipacketLengths = [.. ipackets.Select(p => (int)p.ObfuscatedLen(0))];
            _junkCount = profile.Jc;
            if (_junkCount > 0)
            {
                // Upstream draws a junk size as rand.Int(Jmax - Jmin + 1) + Jmin; MagicHeader.Generate over
                // the range Jmin-Jmax is that very draw (Start + rand.Int(End - Start + 1)), so the port's
                // rand.Int is reused rather than re-implemented. Tests compare with Send.SendHandshakeInitiation.
                _junkSizes = MagicHeader.Parse(FormattableString.Invariant($"{profile.Jmin}-{profile.Jmax}"));
            }

            CheckBurstFits(profile, _ipacketLengths, WireMaxDatagramSize);
        }
        else
        {
            _ipackets = [];
            _ipacketLengths = [];
            if (profile.Jc > 0 || ipackets.Length > 0)
            {
                AwgEnvelopeLog.ClientOnlySettingsIgnored(_logger, profile.Jc, ipackets.Length);
            }
        }

        var family = inner.LocalEndPoint.AddressFamily == AddressFamily.InterNetwork ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        _out = new DatagramBatch(SendChunkSize, WireMaxDatagramSize, family);
        AwgEnvelopeLog.EnvelopeCreated(_logger, inner.LocalEndPoint, role, MaxDatagramSize, WireMaxDatagramSize);
    }

    /// <inheritdoc/>
    public EndPoint LocalEndPoint => _inner.LocalEndPoint;

    /// <summary>
    /// The largest QUIC datagram <see cref="SendBatchAsync"/> accepts: the wire limit minus the largest
    /// S_k + 4 among the classes this role sends (client 1 and 4; server 2, 3 and 4).
    /// </summary>
    public int MaxDatagramSize { get; }

    /// <summary>The inner path's limit: the largest datagram on the wire, and the slot size receive batches need.</summary>
    public int WireMaxDatagramSize { get; }

    /// <summary>Receive slots hold whole wire datagrams: <see cref="WireMaxDatagramSize"/>.</summary>
    public int MaxReceiveDatagramSize => WireMaxDatagramSize;

    /// <summary>The role this envelope was built for.</summary>
    public AwgEnvelopeRole Role => _role;

    /// <summary>Forwarded from the inner path: the envelope keeps each datagram's ECN codepoint.</summary>
    public bool SupportsEcn => _inner is IDatagramPathCapabilities { SupportsEcn: true };

    /// <summary>1: GSO would need equal-sized segments, which per-datagram padding and junk break (off for now).</summary>
    public int MaxSendSegments => 1;

    /// <summary>1: GRO is off for now.</summary>
    public int MaxReceiveSegments => 1;

    /// <summary>Datagrams put on the wire: QUIC datagrams, I-packets and junk (the <c>&lt;c&gt;</c> count, not wrapped).</summary>
    public long DatagramsSent => Interlocked.Read(ref _datagramsSent);

    /// <summary>I-packets sent.</summary>
    public long IPacketsSent => Interlocked.Read(ref _ipacketsSent);

    /// <summary>Junk datagrams sent.</summary>
    public long JunkSent => Interlocked.Read(ref _junkSent);

    /// <summary>Received datagrams that matched a class and went on to QUIC.</summary>
    public long DatagramsReceived => Interlocked.Read(ref _datagramsReceived);

    /// <summary>Received datagrams dropped, all reasons.</summary>
    public long DroppedTotal =>
        GetDropCount(AwgDropReason.TooShort) + GetDropCount(AwgDropReason.HeaderOutOfRange) + GetDropCount(AwgDropReason.ImplausibleFirstByte);

    /// <summary>Received datagrams dropped for <paramref name="reason"/>.</summary>
    public long GetDropCount(AwgDropReason reason) => Interlocked.Read(ref _droppedByReason[(int)reason]);

    /// <summary>QUIC datagrams sent in <paramref name="messageClass"/>.</summary>
    public long GetSentCount(AwgMessageClass messageClass) => Interlocked.Read(ref _sentByClass[(int)messageClass - 1]);

    /// <summary>Received QUIC datagrams that matched <paramref name="messageClass"/>.</summary>
    public long GetReceivedCount(AwgMessageClass messageClass) => Interlocked.Read(ref _receivedByClass[(int)messageClass - 1]);

    /// <summary>
    /// Waits for datagrams from the inner path and unwraps them in place: each slot that matches a class
    /// the peer sends has its payload window narrowed to the QUIC datagram; the others are dropped and the
    /// kept slots moved to the front. When a whole batch is dropped it receives again, so the result is at
    /// least 1, as the contract requires.
    /// </summary>
    public ValueTask<int> ReceiveBatchAsync(DatagramBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return ReceiveCoreAsync(batch, cancellationToken);
    }

    /// <summary>
    /// Wraps and sends the first <paramref name="count"/> slots. Slots keep their destination and ECN
    /// codepoint; a client slot flagged <see cref="DatagramFlags.ClientHello"/> is preceded by the
    /// I-packets and junk. The caller's batch is not modified.
    /// </summary>
    /// <exception cref="ArgumentException">A datagram is longer than <see cref="MaxDatagramSize"/>; nothing was sent.</exception>
    public ValueTask SendBatchAsync(DatagramBatch batch, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, batch.Capacity);
        for (var i = 0; i < count; i++)
        {
            var length = batch.GetLength(i);
            if (length > MaxDatagramSize)
            {
                throw new ArgumentException(
                    FormattableString.Invariant(
                        $"Datagram {i} is {length} bytes, but the AWG envelope carries at most {MaxDatagramSize} bytes of QUIC per datagram ({WireMaxDatagramSize}-byte wire limit minus the largest S_k + 4 a {_role} sends)."),
                    nameof(batch));
            }
        }

        return count == 0 ? ValueTask.CompletedTask : SendCoreAsync(batch, count, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? _inner.DisposeAsync() : ValueTask.CompletedTask;

    private static int ComputeMaxDatagramSize(AwgEnvelopeRole role, AwgProfile profile, int wireLimit)
    {
        var budget = new WireSizeBudget(
            wireLimit,
            profile.Padding(AwgMessageClass.Initiation),
            profile.Padding(AwgMessageClass.Response),
            profile.Padding(AwgMessageClass.Cookie),
            profile.Padding(AwgMessageClass.Transport));
        var sends = AwgDatagramClassifier.ClassesSentBy(role);
        var largest = sends.MaxBy(budget.Overhead);
        var capacity = budget.QuicCapacity(largest);
        if (capacity < WireSizeBudget.MinQuicDatagramSize)
        {
            throw new ArgumentException(
                FormattableString.Invariant(
                    $"The inner path's {wireLimit}-byte wire limit leaves {capacity} bytes of QUIC in a class {(int)largest} datagram (S{(int)largest} = {budget.Padding(largest)} plus the {WireSizeBudget.HeaderSize}-byte header), but QUIC needs {WireSizeBudget.MinQuicDatagramSize}."),
                "inner");
        }

        return capacity;
    }

    private static void CheckBurstFits(AwgProfile profile, int[] ipacketLengths, int wireLimit)
    {
        if (profile.Jc > 0 && profile.Jmax > wireLimit)
        {
            throw new ArgumentException(
                FormattableString.Invariant($"Jmax = {profile.Jmax}: a junk datagram could exceed the inner path's {wireLimit}-byte wire limit."),
                nameof(profile));
        }

        foreach (var length in ipacketLengths)
        {
            if (length > wireLimit)
            {
                throw new ArgumentException(
                    FormattableString.Invariant($"An I-packet of {length} bytes exceeds the inner path's {wireLimit}-byte wire limit."),
                    nameof(profile));
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendCoreAsync(DatagramBatch batch, int count, CancellationToken cancellationToken)
    {
        var filled = 0;
        long ipackets = 0, junk = 0;
        var sentNow = _sentBatch;
        Array.Clear(sentNow);
        for (var i = 0; i < count; i++)
        {
            var messageClass = AwgDatagramClassifier.ClassifyOutgoing(_role, batch.GetPayloadSpan(i));
            var header = _profile.Header(messageClass).Generate(_random);
            if (_role == AwgEnvelopeRole.Client && (batch.GetFlags(i) & DatagramFlags.ClientHello) != 0)
            {
                for (var p = 0; p < _ipackets.Length; p++)
                {
                    if (filled == _out.Capacity)
                    {
                        await _inner.SendBatchAsync(_out, filled, cancellationToken).ConfigureAwait(false);
                        filled = 0;
                    }

                    WriteIPacket(filled++, p, batch, i);
                    ipackets++;
                }

                for (var j = 0; j < _junkCount; j++)
                {
                    if (filled == _out.Capacity)
                    {
                        await _inner.SendBatchAsync(_out, filled, cancellationToken).ConfigureAwait(false);
                        filled = 0;
                    }

                    WriteJunk(filled++, batch, i);
                    junk++;
                }
            }

            if (filled == _out.Capacity)
            {
                await _inner.SendBatchAsync(_out, filled, cancellationToken).ConfigureAwait(false);
                filled = 0;
            }

            WriteEnveloped(filled++, messageClass, header, batch, i);
            sentNow[(int)messageClass - 1]++;
        }

        await _inner.SendBatchAsync(_out, filled, cancellationToken).ConfigureAwait(false);
        PublishSent(sentNow, ipackets, junk);
    }

    /// <summary>
    /// I-packet <paramref name="index"/> (among the set ones) into out slot <paramref name="slot"/>, addressed like
    /// the ClientHello datagram in <paramref name="source"/>[<paramref name="sourceIndex"/>]. Its <c>&lt;c&gt;</c>
    /// value is the datagrams sent before it.
    /// </summary>
    private void WriteIPacket(int slot, int index, DatagramBatch source, int sourceIndex)
    {
        var length = _ipacketLengths[index];
        var context = new ObfContext(_random, _time, _counter);
        _ipackets[index].Obfuscate(_out.GetArray(slot).AsSpan(0, length), ReadOnlySpan<byte>.Empty, context);
        Finish(slot, length, source, sourceIndex);
    }

    /// <summary>One junk datagram: a size drawn from [Jmin, Jmax], then that many random bytes (upstream's order).</summary>
    private void WriteJunk(int slot, DatagramBatch source, int sourceIndex)
    {
        var length = (int)_junkSizes!.Generate(_random);
        _random.Read(_out.GetArray(slot).AsSpan(0, length));
        Finish(slot, length, source, sourceIndex);
    }

    /// <summary>
    /// The enveloped QUIC datagram: the header value (already drawn) little-endian in front of the QUIC bytes,
    /// then the S_k padding step (<see cref="Send.WritePadded"/>) in front of both.
    /// </summary>
    private void WriteEnveloped(int slot, AwgMessageClass messageClass, uint header, DatagramBatch source, int sourceIndex)
    {
        var padding = _profile.Padding(messageClass);
        var quic = source.GetPayloadSpan(sourceIndex);
        var buffer = _out.GetArray(slot).AsSpan();
        var message = buffer.Slice(padding, WireSizeBudget.HeaderSize + quic.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(message, header);
        quic.CopyTo(message[WireSizeBudget.HeaderSize..]);
        var length = Send.WritePadded(buffer, padding, message, _random);
        Finish(slot, length, source, sourceIndex);
    }

    /// <summary>Sets the out slot's window, destination and ECN from the source slot, and counts it for <c>&lt;c&gt;</c>.</summary>
    private void Finish(int slot, int length, DatagramBatch source, int sourceIndex)
    {
        _out.SetPayload(slot, 0, length);
        _out.SetAddress(slot, source.GetAddress(sourceIndex));
        _out.SetEcn(slot, source.GetEcn(sourceIndex));
        _out.SetFlags(slot, DatagramFlags.None);
        _counter = unchecked(_counter + 1);
    }

    private void PublishSent(long[] sentNow, long ipackets, long junk)
    {
        long total = ipackets + junk;
        for (var k = 0; k < ClassCount; k++)
        {
            if (sentNow[k] > 0)
            {
                Interlocked.Add(ref _sentByClass[k], sentNow[k]);
                _metrics.AddDatagramsSent((AwgMessageClass)(k + 1), sentNow[k]);
                total += sentNow[k];
            }
        }

        Interlocked.Add(ref _ipacketsSent, ipackets);
        Interlocked.Add(ref _junkSent, junk);
        Interlocked.Add(ref _datagramsSent, total);
        _metrics.AddIPacketsSent(ipackets);
        _metrics.AddJunkSent(junk);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveCoreAsync(DatagramBatch batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            var received = await _inner.ReceiveBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            var kept = Unwrap(batch, received);
            if (kept > 0)
            {
                return kept;
            }
        }
    }

    /// <summary>Forwarded from the inner path: blocking receive works when the inner path has it.</summary>
    public bool SupportsBlockingReceive => _inner is IBlockingDatagramReceiver { SupportsBlockingReceive: true };

    /// <summary>
    /// Receives from the inner path by blocking (see <see cref="IBlockingDatagramReceiver"/>) and unwraps in place, as
    /// <see cref="ReceiveBatchAsync"/> does; 0 when nothing arrived in time or every datagram was dropped.
    /// </summary>
    public int ReceiveBatch(DatagramBatch batch, int timeoutMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_inner is not IBlockingDatagramReceiver { SupportsBlockingReceive: true } inner)
        {
            throw new NotSupportedException("The inner datagram path does not receive by blocking.");
        }

        var received = inner.ReceiveBatch(batch, timeoutMilliseconds);
        return received == 0 ? 0 : Unwrap(batch, received);
    }

    /// <summary>Classifies the first <paramref name="received"/> slots in place; returns how many were kept.</summary>
    private int Unwrap(DatagramBatch batch, int received)
    {
        Array.Clear(_dropBatch);
        Array.Clear(_receivedBatch);
        var kept = 0;
        for (var i = 0; i < received; i++)
        {
            var datagram = batch.GetPayloadSpan(i);
            if (AwgDatagramClassifier.TryMatch(_profile, _role, datagram, out var messageClass, out var reason))
            {
                var overhead = _profile.Padding(messageClass) + WireSizeBudget.HeaderSize;
                batch.SetPayload(i, batch.GetOffset(i) + overhead, datagram.Length - overhead);
                batch.Swap(kept, i);
                kept++;
                _receivedBatch[(int)messageClass - 1]++;
            }
            else
            {
                _dropBatch[(int)reason]++;
                LogDrop(reason, datagram.Length, batch.GetAddress(i));
            }
        }

        long delivered = 0;
        for (var k = 0; k < ClassCount; k++)
        {
            if (_receivedBatch[k] > 0)
            {
                Interlocked.Add(ref _receivedByClass[k], _receivedBatch[k]);
                _metrics.AddDatagramsReceived((AwgMessageClass)(k + 1), _receivedBatch[k]);
                delivered += _receivedBatch[k];
            }
        }

        Interlocked.Add(ref _datagramsReceived, delivered);
        for (var r = 0; r < ReasonCount; r++)
        {
            if (_dropBatch[r] > 0)
            {
                Interlocked.Add(ref _droppedByReason[r], _dropBatch[r]);
                _metrics.AddDropped((AwgDropReason)r, _dropBatch[r]);
            }
        }

        return kept;
    }

    /// <summary>Debug log of a drop, at most one line per reason per <see cref="DropLogInterval"/>.</summary>
    private void LogDrop(AwgDropReason reason, int length, SocketAddress source)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        var r = (int)reason;
        var now = _time.GetTimestamp();
        if (_dropLogged[r] && _time.GetElapsedTime(_lastDropLog[r], now) < DropLogInterval)
        {
            _suppressedDrops[r]++;
            return;
        }

        AwgEnvelopeLog.DatagramDropped(_logger, length, ToEndPoint(source), reason, _suppressedDrops[r]);
        _dropLogged[r] = true;
        _lastDropLog[r] = now;
        _suppressedDrops[r] = 0;
    }

    private static EndPoint? ToEndPoint(SocketAddress address) => address.Family switch
    {
        AddressFamily.InterNetwork => new IPEndPoint(IPAddress.Any, 0).Create(address),
        AddressFamily.InterNetworkV6 => new IPEndPoint(IPAddress.IPv6Any, 0).Create(address),
        _ => null,
    };
}
