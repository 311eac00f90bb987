using System.Globalization;
using Microsoft.Extensions.Logging.Testing;

namespace AwgProxy.Tunnel.Tests.Doubles;

internal static class LogWaiter
{
    /// <summary>Waits (bounded) until <paramref name="count"/> records with the event name exist; returns them.</summary>
    public static async Task<IReadOnlyList<FakeLogRecord>> WaitForAsync(this FakeLogCollector logs, string eventName, int count)
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            FakeLogRecord[] matching = [.. logs.GetSnapshot().Where(r => r.Id.Name == eventName)];
            if (matching.Length >= count)
            {
                return matching;
            }

            await Task.Delay(2, cts.Token);
        }
    }

    public static string State(this FakeLogRecord record, string key) =>
        record.StructuredState!.Single(kv => kv.Key == key).Value!;

    public static double StateDouble(this FakeLogRecord record, string key) =>
        double.Parse(record.State(key), CultureInfo.InvariantCulture);

    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Default);
        while (!condition())
        {
            await Task.Delay(2, cts.Token);
        }
    }
}
