namespace AwgProxy.Interop.Transport;

/// <summary>Disposal that cannot fail the caller: a stream or connection that is already gone is fine.</summary>
public static class StreamDisposal
{
    public static async ValueTask DisposeQuietlyAsync(IAsyncDisposable? disposable)
    {
        if (disposable is null)
        {
            return;
        }

        try
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // Already closed or aborted.
        }
    }
}
