using System;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;

namespace ExchangeEncryptionAgent.Policy.Model;

/// <summary>Evaluation cost classes, cheapest first.</summary>
internal enum ConditionCost
{
    Envelope = 0,
    Headers = 1,
    Structure = 2,
    DecodedContent = 3,
}
