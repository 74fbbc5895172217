import { ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { FieldError } from '../../kernel';
import { RequestValidationError } from './error-to-problem';

function flatten(errors: ClassValidatorError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.includes('should not exist') ? 'is not an allowed property' : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Global validation: whitelist + forbidNonWhitelisted + transform; 400 lists every field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(flatten(errors)),
  });
}
