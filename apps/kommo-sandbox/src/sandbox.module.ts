import { DynamicModule, Module } from '@nestjs/common';
import { AccountController } from './api/account.controller';
import { ApiAuthGuard } from './api/api-auth.guard';
import { CallsController } from './api/calls.controller';
import { CrmService } from './api/crm.service';
import { EntitiesController } from './api/entities.controller';
import { EventsController } from './api/events.controller';
import { NotesController } from './api/notes.controller';
import { TasksController } from './api/tasks.controller';
import { UnsortedController } from './api/unsorted.controller';
import { UnsortedDecisions } from './api/unsorted.decisions';
import { WebhooksController } from './api/webhooks.controller';
import { WebhookSender } from './api/webhook.sender';
import { ControlPlaneGuard } from './control/control-plane.guard';
import { ControlController } from './control/control.controller';
import { FaultService } from './gateway/fault.service';
import { KommoGatewayMiddleware } from './gateway/kommo-gateway.middleware';
import { RateLimiterService } from './gateway/rate-limiter.service';
import { RequestLogService } from './gateway/request-log.service';
import { OAuthController } from './oauth/oauth.controller';
import { OAuthService } from './oauth/oauth.service';
import { type ResolvedSandboxOptions, SANDBOX_OPTIONS } from './sandbox-options';
import { SandboxStore } from './store/sandbox-store';
import { ViewController } from './view/view.controller';

/** The whole sandbox: one in-memory Kommo with its control plane and web view. */
@Module({})
export class SandboxModule {
  static register(options: ResolvedSandboxOptions): DynamicModule {
    return {
      module: SandboxModule,
      controllers: [
        // Order matters: literal routes (unsorted, notes, tasks…) before the generic `:entity/:id`.
        OAuthController,
        AccountController,
        UnsortedController,
        NotesController,
        CallsController,
        TasksController,
        EventsController,
        WebhooksController,
        EntitiesController,
        ControlController,
        ViewController,
      ],
      providers: [
        { provide: SANDBOX_OPTIONS, useValue: options },
        SandboxStore,
        OAuthService,
        RateLimiterService,
        FaultService,
        RequestLogService,
        KommoGatewayMiddleware,
        ApiAuthGuard,
        ControlPlaneGuard,
        CrmService,
        WebhookSender,
        UnsortedDecisions,
      ],
    };
  }
}
