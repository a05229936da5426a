using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ExchangeEncryptionAgent.Content;
using ExchangeEncryptionAgent.Policy.Evaluation;
using ExchangeEncryptionAgent.Policy.Model;

namespace ExchangeEncryptionAgent.Policy;

/// <summary>
/// Evaluates a policy against one message with Exchange mail-flow-rule semantics. Pure: no I/O, no logging, no
/// clock (the caller passes <c>now</c>); the same inputs always give the same decision. Message content can never
/// make it throw: unreadable content does not match, and an evaluation error becomes a <see cref="RuleError"/>.
/// </summary>
/// <remarks>
/// <para>Rules run in priority order (0 first); disabled, not yet active and expired rules are skipped.</para>
/// <para>Within a rule all conditions must hold (AND) and any value of a condition suffices (OR). Recipient conditions
/// select envelope recipients; a rule without recipient conditions selects every recipient still in play. A message
/// exception that holds suppresses the rule; a recipient exception that holds removes that recipient.</para>
/// <para>An Enforce match appends the rule's actions to each selected recipient. With StopRuleProcessing, later rules
/// are not evaluated for the recipients this rule selected; the other recipients go on. Audit matches are reported
/// and change nothing, including StopRuleProcessing.</para>
/// <para>A rule error (regex timeout, the per-message EvaluationBudget spent, a body larger than the engine reads) never
/// weakens protection by default: with RuleErrorAction=Protect a protective rule acts as if the failed condition held
/// (and a failed exception did not); Ignore treats the rule as not matching; Defer defers the whole message.</para>
/// </remarks>
public static class PolicyEvaluator
{
    /// <summary>Evaluates <paramref name="policy"/> for <paramref name="message"/> at <paramref name="now"/>.</summary>
    public static PolicyDecision Evaluate(PolicySet policy, MessageContext message, DateTimeOffset now)
    {
        Guard.NotNull(policy);
        Guard.NotNull(message);
        var run = new EvaluationRun(new EvaluationScope(policy, message));
        var rules = policy.Rules;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (run.Remaining == 0)
            {
                break;
            }

            if (rule.IsActiveAt(now))
            {
                run.Apply(rule);
            }
        }

        return run.ToDecision();
    }

    /// <summary>The mutable state of one evaluation; never shared.</summary>
    private sealed class EvaluationRun
    {
        private readonly EvaluationScope _scope;
        private readonly bool[] _stopped;
        private readonly List<PolicyAction>?[] _actions;
        private readonly List<(string Condition, string Value)> _messageValues = new();
        private readonly List<(RecipientInfo Recipient, string[] Values)> _selected = new();
        private List<RuleMatch>? _matches;
        private List<RuleError>? _errors;
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private bool _defer;
        private PolicyRule? _rule;
        private RuleError? _ruleError;

        public EvaluationRun(EvaluationScope scope)
        {
            _scope = scope;
            _stopped = new bool[scope.Recipients.Length];
            _actions = new List<PolicyAction>?[scope.Recipients.Length];
            Remaining = scope.Recipients.Length;
        }

        public int Remaining { get; private set; }

        public void Apply(PolicyRule rule)
        {
            _rule = rule;
            _ruleError = null;
            RuleMatch? match;
            try
            {
                match = Match(rule);
            }
            catch (RuleEvaluationAbandoned)
            {
                return;
            }

            if (match is null)
            {
                return;
            }

            (_matches ??= new List<RuleMatch>()).Add(match);
            if (rule.Mode != RuleMode.Enforce)
            {
                return;
            }

            foreach (var (recipient, _) in _selected)
            {
                var list = _actions[recipient.Index] ??= new List<PolicyAction>();
                list.AddRange(rule.Actions);
                if (rule.StopRuleProcessing && !_stopped[recipient.Index])
                {
                    _stopped[recipient.Index] = true;
                    Remaining--;
                }
            }
        }



        public PolicyDecision ToDecision()
        {
            var recipients = new RecipientDecision[_scope.Recipients.Length];
            for (var i = 0; i < recipients.Length; i++)
            {
                var recipient = _scope.Recipients[i];
                recipients[i] = new RecipientDecision
                {
                    Address = recipient.EnvelopeAddress,
                    IsInternal = recipient.IsInternal,
                    Actions = (IReadOnlyList<PolicyAction>?)_actions[i]?.ToArray() ?? Array.Empty<PolicyAction>(),
                };
            }

            return new PolicyDecision
            {
                Recipients = recipients,
                Matches = (IReadOnlyList<RuleMatch>?)_matches?.ToArray() ?? Array.Empty<RuleMatch>(),
                Errors = (IReadOnlyList<RuleError>?)_errors?.ToArray() ?? Array.Empty<RuleError>(),
                DeferMessage = _defer,
            };
        }

        /// <summary>The match, or null; throws <see cref="RuleEvaluationAbandoned"/> when an error ends the rule.</summary>
        private RuleMatch? Match(PolicyRule rule)
        {
            var plan = rule.Plan;
            _messageValues.Clear();
            _selected.Clear();

            foreach (var condition in plan.MessageConditions)
            {
                var value = Evaluate(condition, condition.Name, isException: false, () => condition.Match(_scope));
                if (value is null)
                {
                    return null;
                }

                _messageValues.Add((condition.Name, value));
            }

            if (!SelectRecipients(plan.RecipientConditions))
            {
                return null;
            }

            foreach (var exception in plan.MessageExceptions)
            {
                if (Evaluate(exception, "ExceptIf" + exception.Name, isException: true, () => exception.Match(_scope)) is not null)
                {
                    return null;
                }
            }

            if (plan.RecipientExceptions.Length > 0)
            {
                for (var i = _selected.Count - 1; i >= 0; i--)
                {
                    if (IsExcepted(plan.RecipientExceptions, _selected[i].Recipient))
                    {
                        _selected.RemoveAt(i);
                    }
                }

                if (_selected.Count == 0)
                {
                    return null;
                }
            }

            return new RuleMatch
            {
                RuleName = rule.Name,
                Mode = rule.Mode,
                Recipients = _selected.Select(s => s.Recipient.EnvelopeAddress).ToArray(),
                Conditions = ConditionMatches(plan.RecipientConditions),
            };
        }

        private bool SelectRecipients(RecipientCondition[] conditions)
        {
            foreach (var recipient in _scope.Recipients)
            {
                if (_stopped[recipient.Index])
                {
                    continue;
                }

                string[]? values = conditions.Length == 0 ? Array.Empty<string>() : null;
                for (var c = 0; c < conditions.Length; c++)
                {
                    var condition = conditions[c];
                    var value = Evaluate(condition, condition.Name, isException: false, () => condition.Match(_scope, recipient));
                    if (value is null)
                    {
                        values = null;
                        break;
                    }

                    values ??= new string[conditions.Length];
                    values[c] = value;
                }

                if (values is not null)
                {
                    _selected.Add((recipient, values));
                }
            }

            return _selected.Count > 0;
        }

        private bool IsExcepted(RecipientCondition[] exceptions, RecipientInfo recipient)
        {
            foreach (var exception in exceptions)
            {
                if (Evaluate(exception, "ExceptIf" + exception.Name, isException: true, () => exception.Match(_scope, recipient)) is not null)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// One condition (or exception), with the per-message budget and the rule's error action: returns the matched
        /// value, null for no match, or, when the condition cannot be evaluated and the rule protects, the answer that
        /// keeps the protection (a condition holds, an exception does not). Otherwise the rule is abandoned.
        /// </summary>
        private string? Evaluate(PolicyCondition condition, string name, bool isException, Func<string?> match)
        {
            string problem;
            try
            {
                if (condition.Cost != ConditionCost.Envelope && _clock.Elapsed > _scope.Settings.EvaluationBudget)
                {
                    problem = $"{name}: the evaluation budget of {_scope.Settings.EvaluationBudget.TotalMilliseconds:0} ms for this message is spent";
                }
                else if (condition.Cost == ConditionCost.Headers && _scope.Message.HeaderFieldsNotIndexed is { } notIndexed)
                {
                    // A field past the index (a sensitivity label, say) cannot answer: "no match" would be a guess.
                    problem = $"{name}: the header block has {notIndexed}; later fields are not examined";
                }
                else if (condition.Cost >= ConditionCost.Structure && _scope.Message.UnreadableContent is { } reason)
                {
                    // A part the engine could not read (a malformed or oversized TNEF, say) cannot answer a condition on
                    // structure or content: "no match" would be a guess.
                    problem = $"{name}: the content could not be read: {reason}";
                }
                else
                {
                    var value = match();
                    if (value is not null || !ReadsBody(condition) || !_scope.Message.BodyTextTruncated)
                    {
                        return value;
                    }

                    // No match in a body cut at MaxBodyTextBytes proves nothing about the part not read.
                    problem = $"{name}: the body is larger than the {MessageContextLimits.MaxBodyTextBytes / (1024 * 1024)} MB the engine reads";
                }
            }
            catch (RegexMatchTimeoutException ex)
            {
                problem = $"{name}: regular expression timed out after {ex.MatchTimeout.TotalMilliseconds:0} ms (pattern '{TextNormalizer.Excerpt(ex.Pattern)}')";
            }

            var rule = _rule!;
            var protects = rule.RuleErrorAction == RuleErrorAction.Protect && rule.IsProtective;
            var defers = rule.RuleErrorAction == RuleErrorAction.Defer;
            if (_ruleError is null)
            {
                _ruleError = new RuleError { RuleName = rule.Name, Message = problem, Defers = defers, AppliedProtectively = protects };
                (_errors ??= new List<RuleError>()).Add(_ruleError);
            }

            if (protects)
            {
                return isException ? null : "(could not be evaluated)";
            }

            _defer |= defers;
            throw new RuleEvaluationAbandoned();
        }

        private static bool ReadsBody(PolicyCondition condition)
            => condition is SubjectOrBodyContainsWordsCondition or SubjectOrBodyMatchesPatternsCondition;

        private ConditionMatch[] ConditionMatches(RecipientCondition[] recipientConditions)
        {
            var result = new ConditionMatch[_messageValues.Count + recipientConditions.Length];
            for (var i = 0; i < _messageValues.Count; i++)
            {
                result[i] = new ConditionMatch { Condition = _messageValues[i].Condition, MatchedValue = TextNormalizer.Excerpt(_messageValues[i].Value) };
            }

            for (var c = 0; c < recipientConditions.Length; c++)
            {
                // One entry per recipient condition: the distinct values it matched across the selected recipients.
                var distinct = _selected.Select(s => s.Values[c]).Distinct(StringComparer.OrdinalIgnoreCase);
                result[_messageValues.Count + c] = new ConditionMatch
                {
                    Condition = recipientConditions[c].Name,
                    MatchedValue = TextNormalizer.Excerpt(string.Join(", ", distinct)),
                };
            }

            return result;
        }
    }

    /// <summary>Ends the evaluation of one rule after an error its RuleErrorAction does not turn into a match.</summary>
    private sealed class RuleEvaluationAbandoned : Exception
    {
    }
}
