namespace Atlas.Core.Common;

/// <summary>
/// Something a decision asks the outside world to do (send an SMS, authorise a payment). The runtime writes it
/// to the outbox with the state, so it is carried out at least once, and gives it a stable id receivers dedupe by.
/// </summary>
public abstract record Effect;
