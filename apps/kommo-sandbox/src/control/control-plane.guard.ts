import { CanActivate, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { type ResolvedSandboxOptions, SANDBOX_OPTIONS } from '../sandbox-options';

/** The control plane exists only in test and demo mode; elsewhere it is a plain 404. */
@Injectable()
export class ControlPlaneGuard implements CanActivate {
  constructor(@Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions) {}

  canActivate(): boolean {
    if (this.options.mode === 'test' || this.options.mode === 'demo') return true;
    throw new NotFoundException();
  }
}
