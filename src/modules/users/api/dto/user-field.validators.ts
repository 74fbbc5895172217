import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { passwordProblem } from '../../domain/password.policy';
import { nameProblem } from '../../domain/user-fields.policy';

/**
 * Validators that apply the domain's own rules, so the 400 a client gets at the edge and the rule
 * the aggregate enforces never disagree (lengths count Unicode code points, not UTF-16 units).
 */
function fromDomainRule(name: string, problem: (value: unknown) => string | null, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => problem(value) === null,
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'value'} ${problem(args?.value) ?? 'is invalid'}`,
      },
    },
    options,
  );
}

/** 8..128 characters, not trimmed. */
export const IsPassword = (options?: ValidationOptions) => fromDomainRule('isPassword', passwordProblem, options);

/** 1..100 characters after trimming. */
export const IsPersonName = (options?: ValidationOptions) => fromDomainRule('isPersonName', nameProblem, options);
