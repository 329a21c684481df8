namespace Atlas.Functions.Lifecycles;

/// <summary>
/// A command lost every optimistic-concurrency race (<see cref="CommandStatus.Contended"/>) where its caller is retried
/// whole by what runs it: an effect's queue message, a deadline's activity, a Stripe event's queue. Thrown, the message
/// or activity comes back and the command is decided again on what is stored then. An HTTP caller answers 409 instead.
/// </summary>
public sealed class ContendedException(string message) : InvalidOperationException(message)
{
    /// <param name="what">What lost, for the log: the command and the instance it was for.</param>
    public static void ThrowIf(CommandStatus status, string what)
    {
        if (status == CommandStatus.Contended)
        {
            throw new ContendedException($"{what} lost every race; retrying.");
        }
    }
}
