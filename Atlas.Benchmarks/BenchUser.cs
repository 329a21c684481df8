namespace Atlas.Benchmarks;

/// <summary>Someone the benchmark signed in: their user id and access token.</summary>
public sealed record BenchUser(string UserId, string Token);
