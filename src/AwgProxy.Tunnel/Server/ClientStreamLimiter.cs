namespace AwgProxy.Tunnel.Server;

/// <summary>Counts concurrent streams per client identity against one limit.</summary>
internal sealed class ClientStreamLimiter(int limit)
{
    private readonly Dictionary<string, int> _active = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Limit => limit;

    public bool TryAcquire(string client)
    {
        lock (_lock)
        {
            _active.TryGetValue(client, out int count);
            if (count >= limit)
            {
                return false;
            }

            _active[client] = count + 1;
            return true;
        }
    }

    public void Release(string client)
    {
        lock (_lock)
        {
            if (_active.TryGetValue(client, out int count))
            {
                if (count <= 1)
                {
                    _active.Remove(client);
                }
                else
                {
                    _active[client] = count - 1;
                }
            }
        }
    }

    public int GetActive(string client)
    {
        lock (_lock)
        {
            return _active.GetValueOrDefault(client);
        }
    }
}
