using System.Runtime.InteropServices;

namespace AwgProxy.Quic;

/// <summary>
/// An inclusive range of packet numbers, as carried by one ACK Range of an ACK frame
/// (RFC 9000 section 19.3.1). <see cref="Smallest"/> is never greater than <see cref="Largest"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct PacketNumberRange(ulong Smallest, ulong Largest)
{
    /// <summary>Number of packet numbers in the range (at least 1).</summary>
    public ulong Count => Largest - Smallest + 1;

    public bool Contains(ulong packetNumber) => packetNumber >= Smallest && packetNumber <= Largest;

    public override string ToString() => Smallest == Largest ? $"[{Smallest}]" : $"[{Smallest}..{Largest}]";
}
