using AwgProxy.Quic.Recovery;

namespace AwgProxy.Quic.Tests.Recovery;

/// <summary>Records every callback of <see cref="LossDetection"/> in order.</summary>
internal sealed class RecordingCallbacks : ILossDetectionCallbacks
{
    public List<(PacketNumberSpace Space, SentPacket Packet)> Acked { get; } = [];

    public List<(PacketNumberSpace Space, SentPacket Packet)> Lost { get; } = [];

    public List<(PacketNumberSpace Space, SentPacket Packet)> Discarded { get; } = [];

    public ulong[] AckedNumbers => [.. Acked.Select(a => a.Packet.PacketNumber)];

    public ulong[] LostNumbers => [.. Lost.Select(l => l.Packet.PacketNumber)];

    public void OnPacketAcked(PacketNumberSpace space, in SentPacket packet) => Acked.Add((space, packet));

    public void OnPacketLost(PacketNumberSpace space, in SentPacket packet) => Lost.Add((space, packet));

    public void OnPacketDiscarded(PacketNumberSpace space, in SentPacket packet) => Discarded.Add((space, packet));

    public void Clear()
    {
        Acked.Clear();
        Lost.Clear();
        Discarded.Clear();
    }
}

internal static class Time
{
    public static Instant Ms(double milliseconds) => new((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond));

    public static TimeSpan Span(double milliseconds) => TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond));
}
