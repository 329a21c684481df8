namespace Atlas.Demo;

/// <summary>A step the app refused or did not finish in time: the demo stops and says which, and why.</summary>
public sealed class DemoFailure(string message, int? status = null) : Exception(message)
{
    /// <summary>The HTTP status the app answered, when it refused.</summary>
    public int? Status { get; } = status;
}
