namespace AwgProxy.Cli.Roles;

/// <summary>Waiting for a role to be told to stop.</summary>
internal static class RoleWait
{
    /// <summary>
    /// Returns when <paramref name="cancellationToken"/> fires (Ctrl+C, SIGTERM), or when
    /// <paramref name="completion"/> ends first (its failure is rethrown).
    /// </summary>
    public static async Task UntilStoppedAsync(Task? completion, CancellationToken cancellationToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), stopped))
        {
            Task first = completion is null ? stopped.Task : await Task.WhenAny(completion, stopped.Task).ConfigureAwait(false);
            await first.ConfigureAwait(false);
        }
    }
}
