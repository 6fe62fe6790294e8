import { describeProviderConformance } from '../../conformance/provider.conformance';
import { google } from './subject';

describeProviderConformance(google);
