using System.Net;
using AwgProxy.Quic.Transport.Paths;

namespace AwgProxy.Quic.Transport.Tests.Support;

/// <summary>A path decorator whose receives can be made to fail, or that swallows every datagram it is asked to send.</summary>
internal sealed class FaultyPath(IDatagramPath inner) : IDatagramPath
{
    private readonly TaskCompletionSource<Exception> _receiveFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public int MaxDatagramSize => inner.MaxDatagramSize;

    /// <summary>When set, nothing is sent (the network seems dead in this direction).</summary>
    public bool DropSends { get; set; }

    /// <summary>Makes the pending and every later receive throw <paramref name="error"/>.</summary>
    public void FailReceives(Exception error) => _receiveFailure.TrySetResult(error);

    public async ValueTask<int> ReceiveBatchAsync(DatagramBatch batch, CancellationToken cancellationToken)
    {
        Task<int> receive = inner.ReceiveBatchAsync(batch, cancellationToken).AsTask();
        Task first = await Task.WhenAny(receive, _receiveFailure.Task);
        if (first == _receiveFailure.Task)
        {
            _ = receive.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            throw await _receiveFailure.Task;
        }

        return await receive;
    }

    public ValueTask SendBatchAsync(DatagramBatch batch, int count, CancellationToken cancellationToken) =>
        DropSends ? ValueTask.CompletedTask : inner.SendBatchAsync(batch, count, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
