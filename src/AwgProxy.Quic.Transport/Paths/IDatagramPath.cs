using System.Net;

namespace AwgProxy.Quic.Transport.Paths;

/// <summary>
/// The datagram path under QUIC: a small, batched contract in the spirit of wireguard-go's <c>conn.Bind</c>.
/// A UDP socket is one implementation, an in-memory pair another, and the AWG envelope a decorator over
/// either. Optional capabilities (GSO/GRO, ECN) are probed through <see cref="IDatagramPathCapabilities"/>.
/// </summary>
/// <remarks>
/// Threading: one receiver loop calls <see cref="ReceiveBatchAsync"/> and one sender calls
/// <see cref="SendBatchAsync"/> at a time; receiving and sending may run concurrently with each other.
/// </remarks>
public interface IDatagramPath : IAsyncDisposable
{
    /// <summary>The local address the path is bound to.</summary>
    EndPoint LocalEndPoint { get; }

    /// <summary>
    /// The largest payload, in bytes, that <see cref="SendBatchAsync"/> accepts per datagram: for UDP the
    /// configured wire limit; for a decorator the wire limit minus what it adds.
    /// </summary>
    int MaxDatagramSize { get; }

    /// <summary>
    /// The largest datagram, in bytes, that <see cref="ReceiveBatchAsync"/> may deliver before any unwrapping: the
    /// slot size receive batches need. Equal to <see cref="MaxDatagramSize"/> unless a decorator adds bytes on the
    /// wire (the AWG envelope reports its wire limit).
    /// </summary>
    int MaxReceiveDatagramSize => MaxDatagramSize;

    /// <summary>
    /// Waits until at least one datagram has arrived, then fills as many slots of <paramref name="batch"/>
    /// as are ready without waiting again. Returns the number of filled slots (at least 1); each slot's
    /// <see cref="DatagramBatch.GetPayload"/>, remote address and ECN codepoint describe one datagram.
    /// </summary>
    ValueTask<int> ReceiveBatchAsync(DatagramBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Sends the first <paramref name="count"/> slots of <paramref name="batch"/>, each to its own remote address.
    /// A datagram the network drops is not an error (UDP semantics); only a broken path throws.
    /// </summary>
    ValueTask SendBatchAsync(DatagramBatch batch, int count, CancellationToken cancellationToken);
}

/// <summary>Optional capabilities of a path, probed at run time.</summary>
public interface IDatagramPathCapabilities
{
    /// <summary>Whether the ECN codepoints of received datagrams are reported and outgoing ones applied.</summary>
    bool SupportsEcn { get; }

    /// <summary>Largest number of equal-sized segments one send may carry (UDP GSO); 1 when unsupported.</summary>
    int MaxSendSegments { get; }

    /// <summary>Largest number of segments one receive may coalesce (UDP GRO); 1 when unsupported.</summary>
    int MaxReceiveSegments { get; }
}
