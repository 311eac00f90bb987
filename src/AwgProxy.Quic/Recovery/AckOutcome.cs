namespace AwgProxy.Quic.Recovery;

/// <summary>What processing one ACK frame did (see <see cref="LossDetection.OnAckReceived{TCallbacks}"/>).</summary>
/// <param name="NewlyAcked">Packets the frame newly acknowledged (each reported to the callbacks).</param>
/// <param name="Lost">Packets declared lost as a consequence (each reported to the callbacks).</param>
/// <param name="RttSampled">Whether the frame produced an RTT sample.</param>
public readonly record struct AckOutcome(int NewlyAcked, int Lost, bool RttSampled);
